import type { ServerResponse } from 'node:http';
import type { StreamListener } from '../execution';
import type { ResolvedFunction } from '../functions/local-functions';
import type { LocalFunctions } from '../functions/local-functions';
import type { HttpAnswer } from './http-answer';

/** The content type of a response that starts with HttpResponseStream's JSON prelude and 8 NUL bytes. */
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);

/**
 * Serves one request of a function URL in RESPONSE_STREAM mode: the handler's bytes reach the client as they
 * are written (chunked transfer), with the status, headers and cookies of its HttpResponseStream prelude.
 * Before the first byte, a failure gets the URL's ordinary error answer; after it, the response just ends.
 */
export async function streamFunctionUrl(
  functions: LocalFunctions, fn: ResolvedFunction, event: unknown, res: ServerResponse, failed: HttpAnswer, isHead: boolean,
): Promise<{ status: number; result: Awaited<ReturnType<LocalFunctions['invoke']>> }> {
  let preludeBytes: Buffer | undefined;
  const writeBody = (data: Buffer) => {
    if (!isHead && data.length > 0) res.write(data);
  };
  const listener: StreamListener = {
    start(contentType) {
      if (contentType === HTTP_INTEGRATION_CONTENT_TYPE) {
        preludeBytes = Buffer.alloc(0);
        return;
      }
      res.writeHead(200, { 'Content-Type': contentType });
    },
    chunk(data) {
      if (preludeBytes === undefined) return writeBody(data);
      preludeBytes = Buffer.concat([preludeBytes, data]);
      const end = preludeBytes.indexOf(DELIMITER);
      if (end < 0) return;
      const rest = preludeBytes.subarray(end + DELIMITER.length);
      writePrelude(res, preludeBytes.subarray(0, end));
      preludeBytes = undefined;
      writeBody(rest);
    },
  };
  const result = await functions.invoke(fn, event, listener);
  if (!res.headersSent) {
    const answer = result.error || preludeBytes !== undefined ? failed : undefined;
    if (answer) {
      res.writeHead(answer.status, answer.headers.flat() as string[]);
      res.end(isHead ? undefined : answer.body);
      return { status: answer.status, result };
    }
    // Nothing was streamed: an empty 200.
    res.writeHead(200);
  }
  res.end();
  return { status: res.statusCode, result };
}

function writePrelude(res: ServerResponse, json: Buffer): void {
  let prelude: { statusCode?: unknown; headers?: Record<string, unknown>; cookies?: unknown[] } = {};
  try {
    prelude = JSON.parse(json.toString('utf8')) as typeof prelude;
  } catch {
    // A prelude that is not JSON leaves the defaults.
  }
  const status = Number(prelude.statusCode ?? 200);
  const headers: string[] = [];
  for (const [name, value] of Object.entries(prelude.headers ?? {})) headers.push(name, String(value));
  for (const cookie of prelude.cookies ?? []) headers.push('Set-Cookie', String(cookie));
  res.writeHead(Number.isInteger(status) && status >= 100 && status <= 599 ? status : 200, headers);
}
