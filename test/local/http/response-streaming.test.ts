/*
 * Response streaming through the runner, on an app written the way users write one with plain aws-cdk-lib: a
 * lambda.FunctionUrl with InvokeMode RESPONSE_STREAM and a REST API whose LambdaIntegration uses
 * ResponseTransferMode STREAM, both in front of one awslambda.streamifyResponse handler.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiServer } from '../../../lib/local/http/api-server';
import { LocalRunner, startLocalRunner } from '../../../lib/local/runner';
import { crc32 } from '../../../lib/local/execution/event-stream';
import type { RestApiSpec } from '../../../lib/local/model/specs';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';

// One handler, its behaviour chosen by ?mode= (v1 and v2 events both carry queryStringParameters).
const STREAMER = `
const { existsSync } = require('node:fs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const q = event.queryStringParameters || {};
  const http = (meta) => awslambda.HttpResponseStream.from(responseStream, meta);
  switch (q.mode) {
    case 'gate': {
      const s = http({ statusCode: 201, headers: { 'content-type': 'text/plain', 'x-probe': 'streamed' }, multiValueHeaders: { 'x-multi': ['a', 'b'] }, cookies: ['flavour=oat'] });
      s.write('first;');
      while (!existsSync(q.gate)) await sleep(10);
      s.write('second');
      s.end();
      return;
    }
    case 'throw-mid': {
      const s = http({ statusCode: 200, headers: { 'content-type': 'text/plain' } });
      s.write('partial;');
      await sleep(50);
      throw new Error('broke mid-stream');
    }
    case 'throw-early':
      throw new Error('broke before the first byte');
    case 'hang': {
      const s = http({ statusCode: 200, headers: { 'content-type': 'text/plain' } });
      s.write('partial;');
      await sleep(60000);
      return;
    }
    case 'end-only':
      // The runtime writes HttpResponseStream's prelude before the first write() only (runtime interface client #97).
      http({ statusCode: 404, headers: { 'x-probe': 'lost' } }).end('Not Found');
      return;
    case 'raw':
      responseStream.setContentType('text/csv');
      responseStream.write('a,b\\n');
      responseStream.end('1,2\\n');
      return;
    case 'object': {
      const s = http({ statusCode: 200, headers: { 'content-type': 'application/json' } });
      s.write({ chunk: 1 });
      s.end();
      return;
    }
    case 'too-late': {
      responseStream.write('x');
      responseStream.setContentType('text/plain');
      return;
    }
    default:
      http({ statusCode: 200, headers: { 'content-type': 'text/plain' } }).write('hello');
      responseStream.end();
  }
});
`;

interface StreamedReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** False when the response was cut off before its last chunk. */
  readonly complete: boolean;
}

/** GETs a URL and collects the response, noticing when it ends early; `onChunk` sees each chunk as it arrives. */
function fetchStream(url: string, onChunk?: (chunk: string) => void, headers: Record<string, string> = {}): Promise<StreamedReply> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (res) => {
      let body = '';
      let settled = false;
      const done = (complete: boolean) => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete });
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        onChunk?.(chunk);
      });
      res.on('end', () => done(res.complete));
      res.on('aborted', () => done(false));
      res.on('error', () => done(false));
      res.on('close', () => done(res.complete));
    }).on('error', reject);
  });
}

let probe: ProbeAssembly;
let runner: LocalRunner;
const scratch = mkdtempSync(join(tmpdir(), 'response-streaming-'));
const served = (type: 'rest' | 'url') => runner.apis.find((a) => (type === 'rest' ? a.kind === 'rest' : a.kind === 'http'))!.url;
const restUrl = (mode: string, extra = '') => `${served('rest')}/prod/stream?mode=${mode}${extra}`;
const functionUrl = (mode: string, extra = '') => `${served('url')}/?mode=${mode}${extra}`;

beforeAll(async () => {
  probe = synthesizeProbe((stack) => {
    const fn = inlineNodeFunction(stack, 'Streamer', STREAMER, { timeout: Duration.seconds(2) });
    new lambda.FunctionUrl(stack, 'StreamerUrl', { function: fn, authType: lambda.FunctionUrlAuthType.NONE, invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
      cors: { allowedOrigins: ['https://app.example.com'] } });
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addResource('stream').addMethod('GET', new apigw.LambdaIntegration(fn, { responseTransferMode: apigw.ResponseTransferMode.STREAM }));
    api.root.addResource('buffered').addMethod('GET', new apigw.LambdaIntegration(fn));
  });
  runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, functionOutput: false });
}, 120_000);
afterAll(async () => {
  await runner?.close();
  probe?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe.each([['function URL', functionUrl], ['REST route in STREAM mode', restUrl]] as const)('%s', (kind, url) => {
  test('the client reads the first chunk before the handler writes the second; status, headers and cookies come from the prelude', async () => {
    const gate = join(scratch, `gate-${kind.length}`);
    const reply = await fetchStream(url('gate', `&gate=${encodeURIComponent(gate)}`), () => writeFileSync(gate, 'open'));
    expect(reply).toMatchObject({ status: 201, body: 'first;second', complete: true });
    expect(reply.headers).toMatchObject({ 'x-probe': 'streamed', 'content-type': 'text/plain', 'set-cookie': ['flavour=oat'], 'transfer-encoding': 'chunked' });
  });

  test('an error after the first byte cuts the response off: the client gets what was written and an incomplete response', async () => {
    const reply = await fetchStream(url('throw-mid'));
    expect(reply).toMatchObject({ status: 200, body: 'partial;', complete: false });
  });

  test('the function timing out mid-stream cuts the response off too', async () => {
    const reply = await fetchStream(url('hang'));
    expect(reply).toMatchObject({ status: 200, body: 'partial;', complete: false });
  });

  test('an error before the first byte gets the gateway\'s error answer', async () => {
    const reply = await fetchStream(url('throw-early'));
    expect(reply.complete).toBe(true);
    expect(reply.status).toBe(kind === 'function URL' ? 500 : 502);
  });

  test('a chunk that is not bytes or text is written as JSON, as the runtime does', async () => {
    const reply = await fetchStream(url('object'));
    expect(reply).toMatchObject({ status: 200, body: '{"chunk":1}', complete: true });
  });

  test('end(data) without a write() sends no prelude (runtime interface client #97): the status and headers are lost', async () => {
    const reply = await fetchStream(url('end-only'));
    expect(reply.status).toBe(kind === 'function URL' ? 500 : 502);
    expect(reply.headers['x-probe']).toBeUndefined();
  });

  test('setContentType after the first write fails the invocation', async () => {
    const reply = await fetchStream(url('too-late'));
    // A function URL had already sent its head and the byte: cut off. API Gateway was still waiting for the prelude: 502.
    if (kind === 'function URL') expect(reply).toMatchObject({ status: 200, body: 'x', complete: false });
    else expect(reply).toMatchObject({ status: 502, complete: true });
  });
});

test('function URL: a stream without HttpResponseStream is the body, 200, with the content type the handler set', async () => {
  const reply = await fetchStream(functionUrl('raw'));
  expect(reply).toMatchObject({ status: 200, body: 'a,b\n1,2\n', complete: true });
  expect(reply.headers['content-type']).toBe('text/csv');
});

test('function URL: its CORS configuration applies to streamed responses for an allowed origin', async () => {
  const allowed = await fetchStream(functionUrl('plain'), undefined, { origin: 'https://app.example.com' });
  expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
  const other = await fetchStream(functionUrl('plain'), undefined, { origin: 'https://evil.example.com' });
  expect(other.headers['access-control-allow-origin']).toBeUndefined();
});

test('REST: a stream without the metadata prelude is refused with 502, as API Gateway does', async () => {
  const reply = await fetchStream(restUrl('raw'));
  expect(reply.status).toBe(502);
  expect(JSON.parse(reply.body)).toEqual({ message: 'Internal server error' });
});

test('REST: multiValueHeaders of the prelude reach the client; API Gateway adds its request ids', async () => {
  const gate = join(scratch, 'gate-multi');
  writeFileSync(gate, 'open');
  const reply = await fetchStream(restUrl('gate', `&gate=${encodeURIComponent(gate)}`));
  expect(reply.headers['x-multi']).toBe('a, b');
  expect(reply.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
});

test('REST: the same handler behind a BUFFERED integration is not a proxy result: 502', async () => {
  const reply = await fetchStream(`${served('rest')}/prod/buffered?mode=plain`);
  expect(reply.status).toBe(502);
});

test('HEAD gets the prelude\'s status and headers without a body', async () => {
  const reply = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(functionUrl('plain'), { method: 'HEAD', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
  expect(reply).toMatchObject({ status: 200, body: '' });
  expect(reply.headers['content-type']).toBe('text/plain');
});

describe('REST streaming within API Gateway\'s limits', () => {
  const spec = () => runner.model.apis.find((a) => a.kind === 'rest') as RestApiSpec;
  const serve = (limits: { integrationTimeoutMs?: number; streamIdleTimeoutMs?: number }) =>
    ApiServer.start(spec(), { functions: runner.functions, account: runner.model.account, region: runner.model.region, port: 0, host: '127.0.0.1', ...limits });

  test('the integration timeout ends a stream that runs longer: cut off after the first byte', async () => {
    const server = await serve({ integrationTimeoutMs: 300 });
    try {
      const reply = await fetchStream(`${server.url}/prod/stream?mode=hang`);
      expect(reply).toMatchObject({ status: 200, body: 'partial;', complete: false });
    } finally {
      await server.close();
    }
  });

  test('a stream silent for longer than the idle timeout is cut off', async () => {
    const server = await serve({ streamIdleTimeoutMs: 200 });
    try {
      const started = Date.now();
      const reply = await fetchStream(`${server.url}/prod/stream?mode=hang`);
      expect(reply).toMatchObject({ body: 'partial;', complete: false });
      // Well before the function's own 2 s timeout.
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await server.close();
    }
  });
});

describe('a streaming handler invoked without a stream (Lambda\'s Invoke API) answers with the bytes it wrote', () => {
  test('the runner\'s invoke', async () => {
    const result = await runner.invoke('Streamer', { queryStringParameters: { mode: 'plain' } });
    expect(result.error).toBeUndefined();
    expect(result.payload).toBe(`{"statusCode":200,"headers":{"content-type":"text/plain"}}${'\u0000'.repeat(8)}hello`);
    expect(result.streamed?.contentType).toBe('application/vnd.awslambda.http-integration-response');
  });

  test('the local Invoke API returns the raw bytes with the stream\'s content type, not a JSON string', async () => {
    const name = runner.model.functions.find((f) => f.logicalId.startsWith('Streamer'))!.functionName;
    const reply = await new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
      const req = request(`${runner.invokeUrl}/2015-03-31/functions/${name}/invocations`, { method: 'POST', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ queryStringParameters: { mode: 'raw' } }));
    });
    expect(reply).toEqual({ status: 200, type: 'text/csv', body: 'a,b\n1,2\n' });
  });

  test('a failure mid-stream is the invocation\'s error', async () => {
    const result = await runner.invoke('Streamer', { queryStringParameters: { mode: 'throw-mid' } });
    expect(result.error).toMatchObject({ errorType: 'Error', errorMessage: 'broke mid-stream' });
  });
});

describe('InvokeWithResponseStream on the local Invoke API, through the AWS SDK', () => {
  const client = () => new LambdaClient({ endpoint: runner.invokeUrl, region: runner.model.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const name = () => runner.model.functions.find((f) => f.logicalId.startsWith('Streamer'))!.functionName;
  const invoke = async (payload: unknown, onChunk?: (text: string) => void) => {
    const out = await client().send(new InvokeWithResponseStreamCommand({ FunctionName: name(), Payload: Buffer.from(JSON.stringify(payload)) }));
    const chunks: string[] = [];
    let complete: { ErrorCode?: string; ErrorDetails?: string } | undefined;
    for await (const event of out.EventStream!) {
      if (event.PayloadChunk?.Payload) {
        chunks.push(Buffer.from(event.PayloadChunk.Payload).toString('utf8'));
        onChunk?.(chunks[chunks.length - 1]);
      }
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    return { statusCode: out.StatusCode, contentType: out.ResponseStreamContentType, chunks, complete };
  };

  test('chunks arrive as the handler writes them (the first before the handler writes the second), then InvokeComplete', async () => {
    const gate = join(scratch, 'gate-sdk');
    const reply = await invoke({ queryStringParameters: { mode: 'gate', gate } }, () => writeFileSync(gate, 'open'));
    expect(reply.statusCode).toBe(200);
    expect(reply.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(reply.chunks.join('')).toContain('first;second');
    expect(reply.complete).toEqual({});
  });

  test('an error mid-stream arrives in InvokeComplete after the bytes written before it', async () => {
    const reply = await invoke({ queryStringParameters: { mode: 'throw-mid' } });
    expect(reply.chunks.join('')).toContain('partial;');
    expect(reply.complete).toEqual({ ErrorCode: 'Error', ErrorDetails: 'broke mid-stream' });
  });

  test('the framing\'s CRC-32 is the standard one', () => {
    const zlib = require('node:zlib') as { crc32?: (data: Buffer) => number };
    expect(crc32(Buffer.from('hello'))).toBe(907060870);
    if (zlib.crc32) expect(crc32(Buffer.from('event-stream framing'))).toBe(zlib.crc32(Buffer.from('event-stream framing')));
  });
});
