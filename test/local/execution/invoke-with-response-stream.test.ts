/*
 * A streaming handler reached through Lambda's APIs rather than HTTP: the buffered Invoke (the runner's invoke,
 * the local Invoke API) and InvokeWithResponseStream through the AWS SDK, on the app of
 * test/local/support/streaming-app.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { crc32 } from '../../../lib/local/execution/event-stream';
import { LocalRunner, startLocalRunner } from '../../../lib/local/runner';
import type { ProbeAssembly } from '../support/probe-app';
import { synthesizeStreamingApp } from '../support/streaming-app';

let probe: ProbeAssembly;
let runner: LocalRunner;
const scratch = mkdtempSync(join(tmpdir(), 'invoke-streaming-'));

beforeAll(async () => {
  probe = synthesizeStreamingApp();
  runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, functionOutput: false });
}, 120_000);
afterAll(async () => {
  await runner?.close();
  probe?.remove();
  rmSync(scratch, { recursive: true, force: true });
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
