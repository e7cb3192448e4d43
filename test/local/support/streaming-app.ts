import { get } from 'node:http';
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from './probe-app';

/*
 * An app written the way users write one with plain aws-cdk-lib: a lambda.FunctionUrl with InvokeMode
 * RESPONSE_STREAM (and CORS) and a REST API whose LambdaIntegration uses ResponseTransferMode STREAM (/stream)
 * or not (/buffered), all in front of one awslambda.streamifyResponse handler (timeout 2 s); and a handler that does
 * not stream behind a RESPONSE_STREAM URL (PlainUrl) and a STREAM route (/plain).
 */
// One handler, its behaviour chosen by ?mode= (v1 and v2 events both carry queryStringParameters).
export const STREAMER = `
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

export interface StreamedReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** False when the response was cut off before its last chunk. */
  readonly complete: boolean;
}

/** GETs a URL and collects the response, noticing when it ends early; `onChunk` sees each chunk as it arrives. */
export function fetchStream(url: string, onChunk?: (chunk: string) => void, headers: Record<string, string> = {}): Promise<StreamedReply> {
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

/** Synthesizes the streaming app into a temporary directory. */
export function synthesizeStreamingApp(): ProbeAssembly {
  return synthesizeProbe((stack) => {
    const fn = inlineNodeFunction(stack, 'Streamer', STREAMER, { timeout: Duration.seconds(2) });
    new lambda.FunctionUrl(stack, 'StreamerUrl', { function: fn, authType: lambda.FunctionUrlAuthType.NONE, invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
      cors: { allowedOrigins: ['https://app.example.com'] } });
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addResource('stream').addMethod('GET', new apigw.LambdaIntegration(fn, { responseTransferMode: apigw.ResponseTransferMode.STREAM }));
    api.root.addResource('buffered').addMethod('GET', new apigw.LambdaIntegration(fn));
    // A handler that is not streamified, behind both streaming front doors.
    const plain = inlineNodeFunction(stack, 'Plain', 'exports.handler = async () => ({ statusCode: 201, body: "not streamed" });');
    new lambda.FunctionUrl(stack, 'PlainUrl', { function: plain, authType: lambda.FunctionUrlAuthType.NONE, invokeMode: lambda.InvokeMode.RESPONSE_STREAM });
    api.root.addResource('plain').addMethod('GET', new apigw.LambdaIntegration(plain, { responseTransferMode: apigw.ResponseTransferMode.STREAM }));
  });
}
