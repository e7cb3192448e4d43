import type { IncomingRequest } from '../../../lib/local/http/incoming-request';
import { isHttpApiText, matchesMediaTypes, withForwardedHeaders } from '../../../lib/local/http/incoming-request';
import { restResponse } from '../../../lib/local/http/rest-v1';
import type { InvocationResult } from '../../../lib/local/execution';

const errors = { failed: { status: 502, headers: [], body: Buffer.from('failed') }, throttled: { status: 500, headers: [], body: Buffer.from('throttled') } };
const answer = (payload: unknown): InvocationResult => ({ payload, facts: { requestId: 'r', cold: false, durationMs: 1, throttled: false, timedOut: false } });

function request(headerPairs: Array<[string, string]>): IncomingRequest {
  return {
    method: 'GET', urlPath: '/', rawQuery: '', headerPairs, body: Buffer.alloc(0), sourceIp: '10.0.0.9', protocol: 'HTTP/1.1',
    receivedAt: 0, requestId: 'r', traceId: 'Root=1-00000000-000000000000000000000000', port: 3000,
    header: (name) => headerPairs.filter(([k]) => k.toLowerCase() === name).at(-1)?.[1],
  };
}

// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
test('HTTP API text types: text/*, JSON, XML and JavaScript (with parameters); anything else, or no type, is binary', () => {
  expect(['text/plain', 'text/csv; charset=utf-8', 'application/json', 'Application/JSON; charset=UTF-8', 'application/xml', 'application/javascript'].map(isHttpApiText)).toEqual(Array(6).fill(true));
  expect(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'image/png', undefined].map(isHttpApiText)).toEqual(Array(5).fill(false));
});

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
test('binaryMediaTypes match exactly, by type wildcard or */*, on the first entry of a list, ignoring parameters', () => {
  expect(matchesMediaTypes('image/png;q=0.9, text/html', ['image/*'])).toBe(true);
  expect(matchesMediaTypes('text/html, image/png', ['image/*'])).toBe(false);
  expect(matchesMediaTypes('application/pdf', ['*/*'])).toBe(true);
  expect(matchesMediaTypes('application/pdf', [])).toBe(false);
  expect(matchesMediaTypes(undefined, ['*/*'])).toBe(false);
});

// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
test('payload 1.0 answers: multiValueHeaders win over headers whatever the case; base64 decoded only when asked', () => {
  const a = restResponse(answer({ statusCode: 201, headers: { 'Set-Cookie': 'x', Only: '1' }, multiValueHeaders: { 'set-cookie': ['a', 'b'] }, body: 'aGk=', isBase64Encoded: true }), errors, false);
  expect(a.headers).toEqual([['Only', '1'], ['set-cookie', 'a'], ['set-cookie', 'b']]);
  expect([a.status, a.body.toString()]).toEqual([201, 'aGk=']);
  expect(restResponse(answer({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }), errors, true).body.toString()).toBe('hi');
});

// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
test('forwarded headers: the caller appended to the client\'s X-Forwarded-For; client copies of the others replaced', () => {
  const pairs = withForwardedHeaders(request([['Host', 'h'], ['X-Forwarded-For', '1.1.1.1'], ['x-forwarded-for', '2.2.2.2'], ['X-Forwarded-Proto', 'gopher']]), false);
  expect(pairs).toEqual([
    ['Host', 'h'],
    ['X-Forwarded-For', '1.1.1.1, 2.2.2.2, 10.0.0.9'],
    ['X-Forwarded-Proto', 'http'],
    ['X-Forwarded-Port', '3000'],
    ['X-Amzn-Trace-Id', 'Root=1-00000000-000000000000000000000000'],
  ]);
  expect(withForwardedHeaders(request([['Host', 'h']]), true).map(([k]) => k)).toEqual(['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-amzn-trace-id']);
});
