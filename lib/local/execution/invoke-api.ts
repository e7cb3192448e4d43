import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionPool } from './function-pool';
import { invokeWithResponseStream } from './invoke-with-response-stream';

/** Where the local Lambda Invoke API listens and which pools it serves. */
export interface InvokeApiOptions {
  /**
   * Finds the pool serving a function (by name, with the qualifier from the ARN or `?Qualifier=`); undefined
   * for an unknown function or qualifier (Lambda's 404 ResourceNotFoundException).
   */
  readonly resolve: (functionName: string, qualifier: string | undefined) => FunctionPool | undefined;
  /**
   * Queues an `Event` invocation with Lambda's asynchronous handling (retries, dead-letter queue, destinations).
   * @default - the invocation runs once in the background and its outcome is dropped
   */
  readonly invokeAsync?: (functionName: string, qualifier: string | undefined, event: unknown) => void;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** A running local Invoke API; point an SDK client at `url` (e.g. `AWS_ENDPOINT_URL_LAMBDA`). */
export interface InvokeApi {
  readonly url: string;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const STREAMING_INVOKE_PATH = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations$/;

/**
 * Serves Lambda's Invoke and InvokeWithResponseStream operations over loopback HTTP, backed by FunctionPools, so code that calls Lambda
 * through the AWS SDK (the warmer, a function invoking another) runs unchanged against the local environments.
 */
export async function startInvokeApi(options: InvokeApiOptions): Promise<InvokeApi> {
  if (typeof options?.resolve !== 'function') {
    throw new TypeError(`startInvokeApi: options.resolve must be a function, got ${typeof options?.resolve}`);
  }
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err: Error) => send(res, 500, { 'x-amzn-ErrorType': 'ServiceException' }, { message: err.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: InvokeApiOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const streaming = STREAMING_INVOKE_PATH.exec(url.pathname);
  const match = INVOKE_PATH.exec(url.pathname) ?? streaming;
  const body = await readBody(req);
  if (req.method !== 'POST' || !match) {
    return send(res, 404, { 'x-amzn-ErrorType': 'UnknownOperationException' }, { message: `Unsupported operation ${req.method} ${url.pathname}` });
  }
  const target = parseFunctionName(decodeURIComponent(match[1]), url.searchParams.get('Qualifier') ?? undefined);
  const pool = options.resolve(target.name, target.qualifier);
  if (!pool) {
    return send(res, 404, { 'x-amzn-ErrorType': 'ResourceNotFoundException' }, { Type: 'User', message: `Function not found: ${match[1]}` });
  }
  let event: unknown = {};
  if (body.length > 0) {
    try {
      event = JSON.parse(body);
    } catch {
      return send(res, 400, { 'x-amzn-ErrorType': 'InvalidRequestContentException' }, { Type: 'User', message: 'Could not parse request body into json' });
    }
  }

  const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (invocationType === 'DryRun') return send(res, 204, {}, undefined);
  if (streaming) return invokeWithResponseStream(pool, event, target.qualifier, res);
  if (invocationType === 'Event') {
    // Asynchronous invocation: accepted at once (202), run in the background.
    if (options.invokeAsync) options.invokeAsync(target.name, target.qualifier, event);
    else pool.invoke(event, { qualifier: target.qualifier }).catch(() => undefined);
    return send(res, 202, {}, undefined);
  }

  const result = await pool.invoke(event, { qualifier: target.qualifier });
  const facts = result.facts;
  const headers: Record<string, string> = {
    'x-amzn-RequestId': facts.requestId,
    'X-Amz-Executed-Version': pool.functionVersion,
    ...(facts.environmentId ? { 'X-Local-Environment-Id': facts.environmentId, 'X-Local-Cold': String(facts.cold) } : {}),
  };
  if (facts.throttled) {
    return send(res, 429, { ...headers, 'x-amzn-ErrorType': 'TooManyRequestsException' }, {
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      message: 'Rate Exceeded.',
    });
  }
  if (result.error) return send(res, 200, { ...headers, 'X-Amz-Function-Error': 'Unhandled' }, result.error);
  if (result.streamed) {
    // A streaming handler invoked through Invoke: Lambda returns the bytes it wrote, as they are.
    res.writeHead(200, { ...headers, 'Content-Type': result.streamed.contentType, 'Content-Length': result.streamed.body.length });
    res.end(result.streamed.body);
    return;
  }
  return send(res, 200, headers, result.payload ?? null);
}

/** Accepts a name, `name:qualifier`, a partial ARN (`account:function:name`) or a full ARN. */
function parseFunctionName(raw: string, queryQualifier: string | undefined): { name: string; qualifier: string | undefined } {
  const parts = raw.split(':');
  const at = parts.indexOf('function');
  const [name, qualifier] = at >= 0 ? [parts[at + 1], parts[at + 2]] : [parts[0], parts[1]];
  return { name, qualifier: queryQualifier ?? qualifier };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(text ? { 'Content-Type': 'application/json' } : {}), 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
