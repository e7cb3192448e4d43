/*
 * Response streaming over HTTP through the runner: a function URL in RESPONSE_STREAM mode and a REST route in
 * STREAM transfer mode (test/local/support/streaming-app.ts), against what Lambda and API Gateway document.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { loadCloudAssembly } from '../../../lib/local/assembly/cloud-assembly';
import { ApiServer } from '../../../lib/local/http/api-server';
import { buildAppModel } from '../../../lib/local/model/app-model';
import type { RestApiSpec } from '../../../lib/local/model/specs';
import { LocalRunner, startLocalRunner } from '../../../lib/local/runner';
import type { ProbeAssembly } from '../support/probe-app';
import { fetchStream, synthesizeStreamingApp } from '../support/streaming-app';

let probe: ProbeAssembly;
let runner: LocalRunner;
const scratch = mkdtempSync(join(tmpdir(), 'response-streaming-'));
const served = (type: 'rest' | 'url' | 'plain-url') => runner.apis.find((a) =>
  (type === 'rest' ? a.kind === 'rest' : a.logicalId.startsWith(type === 'url' ? 'StreamerUrl' : 'PlainUrl')))!.url;
const restUrl = (mode: string, extra = '') => `${served('rest')}/prod/stream?mode=${mode}${extra}`;
const functionUrl = (mode: string, extra = '') => `${served('url')}/?mode=${mode}${extra}`;

beforeAll(async () => {
  probe = synthesizeStreamingApp();
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

test('a client that goes away mid-stream leaves the function running and the runner serving', async () => {
  const gate = join(scratch, 'gate-gone');
  await new Promise<void>((resolve) => {
    const req = request(restUrl('gate', `&gate=${encodeURIComponent(gate)}`), { agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        // The handler writes its second chunk to a client that is gone.
        writeFileSync(gate, 'open');
        resolve();
      });
    });
    // The destroyed request reports its own abort.
    req.on('error', () => undefined);
    req.end();
  });
  await runner.settled();
  const reply = await fetchStream(functionUrl('plain'));
  expect(reply).toMatchObject({ status: 200, body: 'hello', complete: true });
});

test('function URL: its CORS configuration applies to streamed responses for an allowed origin', async () => {
  const allowed = await fetchStream(functionUrl('plain'), undefined, { origin: 'https://app.example.com' });
  expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
  const other = await fetchStream(functionUrl('plain'), undefined, { origin: 'https://evil.example.com' });
  expect(other.headers['access-control-allow-origin']).toBeUndefined();
});

test('a handler that does not stream: a RESPONSE_STREAM function URL sends its result\'s JSON as the body; API Gateway finds no prelude, 502', async () => {
  const url = await fetchStream(`${served('plain-url')}/`);
  expect(url).toMatchObject({ status: 200, body: '{"statusCode":201,"body":"not streamed"}', complete: true });
  expect((await fetchStream(`${served('rest')}/prod/plain`)).status).toBe(502);
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

  test('a finished response leaves no gateway clock running (a handler that did not stream included)', async () => {
    const server = await serve({ integrationTimeoutMs: 60_000, streamIdleTimeoutMs: 60_000 });
    const running = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    try {
      const before = running();
      expect((await fetchStream(`${server.url}/prod/plain`)).status).toBe(502);
      expect((await fetchStream(`${server.url}/prod/stream?mode=plain`)).status).toBe(200);
      // A clock left behind would hold the process (and the runner's event loop) for its full minute.
      expect(running()).toBeLessThanOrEqual(before);
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

test('the model notes a REST integration with only one half of streaming, and serves it buffered', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'streaming-model-'));
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Halves');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});') });
    const api = new apigw.RestApi(stack, 'Api');
    const method = api.root.addResource('half').addMethod('GET', new apigw.LambdaIntegration(fn));
    (method.node.defaultChild as apigw.CfnMethod).addPropertyOverride('Integration.ResponseTransferMode', 'STREAM');
    app.synth();
    const assembly = loadCloudAssembly(outdir);
    const model = buildAppModel(assembly, assembly.stacks, { account: '123456789012', region: 'us-east-1', scratchDirectory: join(outdir, 'scratch') });
    const route = (model.apis[0] as RestApiSpec).routes.find((r) => r.resourcePath === '/half')!;
    expect(route.backend).toMatchObject({ kind: 'lambda' });
    expect((route.backend as { responseStreaming?: boolean }).responseStreaming).toBeUndefined();
    expect(model.notes).toContainEqual(expect.stringMatching(/GET \/half has ResponseTransferMode STREAM but invokes Lambda through the buffered Invoke path .* served buffered$/));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
