/*
 * Conformance: Lambda function URLs (AWS::Lambda::Url) as the runner serves them. Each test cites the AWS
 * documentation page whose behaviour it asserts.
 */
import { get } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer } from '../../../lib/local/http/api-server';
import type { HttpApiSpec } from '../../../lib/local/model/specs';
import { node24Path } from '../../node24/interpreter';
import { call } from '../support/http-client';
import { startProbeApp } from './support/probe-app';

const on24 = node24Path() ? test : test.skip;

const url = (fn: string, invokeMode: string) => ({ Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] }, AuthType: 'NONE', InvokeMode: invokeMode } });
const httpApi = {
  Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'api', ProtocolType: 'HTTP' } },
  Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Sleeper', 'Arn'] }, PayloadFormatVersion: '2.0' } },
  Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /sleep', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] } } },
  Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', AutoDeploy: true } },
};

let app: Awaited<ReturnType<typeof startProbeApp>>;
const scratch = mkdtempSync(join(tmpdir(), 'function-url-'));
beforeAll(async () => {
  app = await startProbeApp(
    { Sleeper: { code: 'handlers', handler: 'index.sleeps', timeout: 5 }, Streamer: { code: 'stream', handler: 'index.handler', timeout: 30 } },
    { SleeperUrl: url('Sleeper', 'BUFFERED'), StreamerUrl: url('Streamer', 'RESPONSE_STREAM'), ...httpApi },
    { functionOutput: false },
  );
}, 60_000);
afterAll(async () => {
  await app?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const served = (logicalId: string) => app.runner.apis.find((a) => a.logicalId === logicalId)!.url;

// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html — a function URL invocation runs as long as
// the function's timeout allows (up to 15 minutes); API Gateway's integration limit does not apply to it.
on24('a function URL waits for the function, where an HTTP API cuts off at its integration timeout', async () => {
  // Both served again with an integration limit far below the handler's 300 ms, so the difference shows quickly.
  const spec = (id: string) => app.runner.model.apis.find((a) => a.logicalId === id) as HttpApiSpec;
  const options = { functions: app.runner.functions, account: app.runner.model.account, region: app.runner.model.region, port: 0, host: '127.0.0.1', integrationTimeoutMs: 50 };
  const functionUrl = await ApiServer.start(spec('SleeperUrl'), options);
  const api = await ApiServer.start(spec('Api'), options);
  try {
    const viaUrl = await call(`${functionUrl.url}/?ms=300`);
    expect(viaUrl.status).toBe(200);
    expect(viaUrl.json()).toEqual({ slept: 300 });
    expect((await call(`${api.url}/sleep?ms=300`)).status).toBe(503);
  } finally {
    await functionUrl.close();
    await api.close();
  }
});

// https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html — with InvokeMode
// RESPONSE_STREAM, awslambda.streamifyResponse handlers stream: bytes reach the client as they are written, with
// the status code, headers and cookies of HttpResponseStream.from's prelude.
on24('RESPONSE_STREAM: the client receives the first chunk before the handler writes the second', async () => {
  const gate = join(scratch, 'first-chunk-received');
  const received = await new Promise<{ status: number; headers: Record<string, unknown>; chunks: string[] }>((resolve, reject) => {
    get(`${served('StreamerUrl')}/?gate=${encodeURIComponent(gate)}`, (res) => {
      const chunks: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        chunks.push(chunk);
        // The handler writes its second chunk only once this file exists: without streaming it never would.
        writeFileSync(gate, 'yes');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, chunks }));
      res.on('error', reject);
    }).on('error', reject);
  });
  expect(received.status).toBe(201);
  expect(received.headers).toMatchObject({ 'x-probe': 'streamed', 'set-cookie': ['flavour=oat'], 'transfer-encoding': 'chunked' });
  expect(received.chunks[0]).toBe('first;');
  expect(received.chunks.join('')).toBe('first;second');
});

// https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html — the runtime provides the
// awslambda global; a buffered Invoke of a streaming function returns the streamed bytes.
on24('a direct invoke of a streaming handler returns what it streamed', async () => {
  const gate = join(scratch, 'open');
  writeFileSync(gate, 'yes');
  const result = await app.runner.invoke('Streamer', { queryStringParameters: { gate } });
  expect(result.error).toBeUndefined();
  expect(result.payload).toBe(`{"statusCode":201,"headers":{"x-probe":"streamed"},"cookies":["flavour=oat"]}${'\u0000'.repeat(8)}first;second`);
});
