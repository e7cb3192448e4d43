/*
 * API Gateway as AWS documents it, on a probe app of plain aws-cdk-lib constructs (RestApi, HttpApi,
 * lambda.Function with inline code), served by the packed CLI as a user runs it. Each test names the
 * documentation page it follows.
 */
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { call } from '../support/http-client';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { packedAppFor, PreparedApp, RunningApp } from './support/packed-runner';

const BYTES = [0, 1, 2, 250, 255];
const PROBE = `exports.handler = async (event) => {
  const path = event.rawPath || event.path || '';
  if (path.endsWith('/binary')) return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(${JSON.stringify(BYTES)}).toString('base64'), isBase64Encoded: true };
  if (path.endsWith('/both')) return { statusCode: 200, headers: { 'x-dup': 'from-headers', 'x-single': 'one' }, multiValueHeaders: { 'X-Dup': ['from-multi'] }, body: '' };
  if (path.endsWith('/cors')) return { statusCode: 200, headers: { 'access-control-allow-origin': 'https://backend.example', 'access-control-expose-headers': 'x-backend' }, body: 'ok' };
  if (path.endsWith('/slow')) { await new Promise((r) => setTimeout(r, 1500)); return { statusCode: 200, body: 'late' }; }
  if (path.endsWith('/fail')) throw new Error('probe failed');
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
};`;

let probe: ProbeAssembly;
let app: PreparedApp;
let runner: RunningApp;
let rest: string;
let http: string;

beforeAll(async () => {
  probe = synthesizeProbe((stack) => {
    const fn = inlineNodeFunction(stack, 'Probe', PROBE, { timeout: Duration.seconds(5) });
    const api = new apigw.RestApi(stack, 'Rest', { cloudWatchRole: false, deployOptions: { stageName: 'test' }, binaryMediaTypes: ['application/octet-stream', 'image/*'] });
    const integration = new apigw.LambdaIntegration(fn);
    for (const path of ['echo', 'binary', 'both', 'fail']) api.root.addResource(path).addMethod('ANY', integration);
    api.root.addResource('slow').addMethod('GET', new apigw.LambdaIntegration(fn, { timeout: Duration.millis(200) }));

    const httpApi = new apigwv2.HttpApi(stack, 'Http', {
      corsPreflight: { allowOrigins: ['https://app.example'], allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST], allowHeaders: ['content-type'], exposeHeaders: ['x-api'], maxAge: Duration.minutes(5) },
    });
    const v2 = new HttpLambdaIntegration('V2', fn);
    const v1 = new HttpLambdaIntegration('V1', fn, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0 });
    httpApi.addRoutes({ path: '/echo', methods: [apigwv2.HttpMethod.ANY], integration: v2 });
    httpApi.addRoutes({ path: '/v1/echo', methods: [apigwv2.HttpMethod.ANY], integration: v1 });
    httpApi.addRoutes({ path: '/v1/both', methods: [apigwv2.HttpMethod.GET], integration: v1 });
    httpApi.addRoutes({ path: '/binary', methods: [apigwv2.HttpMethod.GET], integration: v2 });
    httpApi.addRoutes({ path: '/v1/binary', methods: [apigwv2.HttpMethod.GET], integration: v1 });
    httpApi.addRoutes({ path: '/cors', methods: [apigwv2.HttpMethod.GET], integration: v2 });
    httpApi.addRoutes({ path: '/fail', methods: [apigwv2.HttpMethod.GET], integration: v2 });
    httpApi.addRoutes({ path: '/slow', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Slow', fn, { timeout: Duration.millis(200) }) });
  });
  app = packedAppFor(probe.directory);
  runner = await app.start();
  rest = runner.apis['Rest'];
  http = runner.apis['Http'];
});

afterAll(async () => {
  await app?.remove();
  probe?.remove();
});

const FORM = 'name=a+b&x=1';

describe('request bodies', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
  // (isBase64Encoded: HTTP APIs pass text/*, application/json, application/xml and application/javascript as text)
  test('HTTP API, payload 2.0 and 1.0: a form body arrives base64-encoded, JSON as text', async () => {
    for (const path of ['/echo', '/v1/echo']) {
      const form = (await call(`${http}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM })).json();
      expect([form.isBase64Encoded, Buffer.from(form.body, 'base64').toString()]).toEqual([true, FORM]);
      const json = (await call(`${http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":1}' })).json();
      expect([json.isBase64Encoded, json.body]).toEqual([false, '{"a":1}']);
      const text = (await call(`${http}${path}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' })).json();
      expect([text.isBase64Encoded, text.body]).toEqual([false, 'a,b']);
    }
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
  test('REST API: a body is base64-encoded when its Content-Type is one of the binaryMediaTypes (wildcards too), else text', async () => {
    const png = (await call(`${rest}/echo`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: Buffer.from(BYTES) })).json();
    expect([png.isBase64Encoded, Buffer.from(png.body, 'base64')]).toEqual([true, Buffer.from(BYTES)]);
    const form = (await call(`${rest}/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM })).json();
    expect([form.isBase64Encoded, form.body]).toEqual([false, FORM]);
  });
});

describe('binary answers', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html
  // (API Gateway uses the first Accept header from clients to determine if a response should return binary media)
  test('REST API: an isBase64Encoded answer is decoded only when the first Accept type is a binary media type', async () => {
    const binary = await call(`${rest}/binary`, { headers: { accept: 'application/octet-stream' } });
    expect(binary.body).toEqual(Buffer.from(BYTES));
    const wildcard = await call(`${rest}/binary`, { headers: { accept: 'image/png, application/json' } });
    expect(wildcard.body).toEqual(Buffer.from(BYTES));
    const text = await call(`${rest}/binary`, { headers: { accept: 'application/json, application/octet-stream' } });
    expect(text.text()).toBe(Buffer.from(BYTES).toString('base64'));
    const none = await call(`${rest}/binary`);
    expect(none.text()).toBe(Buffer.from(BYTES).toString('base64'));
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
  test('HTTP API: an isBase64Encoded answer is always decoded (HTTP APIs have no binaryMediaTypes)', async () => {
    for (const path of ['/binary', '/v1/binary']) {
      const reply = await call(`${http}${path}`, { headers: { accept: 'application/json' } });
      expect([reply.status, reply.body]).toEqual([200, Buffer.from(BYTES)]);
    }
  });
});

describe('answer headers', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
  // (a header given in both headers and multiValueHeaders is sent with the multiValueHeaders values only)
  test('payload 1.0: the same header in headers and multiValueHeaders is sent once, from multiValueHeaders', async () => {
    for (const url of [`${rest}/both`, `${http}/v1/both`]) {
      const reply = await call(url);
      const dup = reply.rawHeaders.filter((_v, i) => i % 2 === 0 && reply.rawHeaders[i].toLowerCase() === 'x-dup').length;
      expect([dup, reply.headers['x-dup'], reply.headers['x-single']]).toEqual([1, 'from-multi', 'one']);
    }
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
  // (API Gateway answers preflights itself and ignores CORS headers returned from the integration)
  test('HTTP API with CORS: preflights answered by the API; the API\'s CORS headers replace the backend\'s', async () => {
    const preflight = await call(`${http}/cors`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example', 'access-control-allow-methods': 'GET,POST', 'access-control-max-age': '300' });
    expect(preflight.text()).toBe(''); // the function (which answers 'ok' on /cors) was not invoked

    const allowed = await call(`${http}/cors`, { headers: { origin: 'https://app.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.headers['access-control-expose-headers']).toBe('x-api');
    const other = await call(`${http}/cors`, { headers: { origin: 'https://elsewhere.example' } });
    expect([other.status, other.text(), other.headers['access-control-allow-origin'], other.headers['access-control-expose-headers']]).toEqual([200, 'ok', undefined, undefined]);
  });
});

describe('integration timeout', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html (INTEGRATION_TIMEOUT, 504)
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html (integration timeout, HTTP APIs answer 503)
  test('TimeoutInMillis of the integration: REST answers 504, the HTTP API 503, while the function runs on', async () => {
    const [r, v2] = await Promise.all([call(`${rest}/slow`), call(`${http}/slow`)]);
    expect([r.status, r.json()]).toEqual([504, { message: 'Endpoint request timed out' }]);
    expect([v2.status, v2.json()]).toEqual([503, { message: 'Service Unavailable' }]);
  });
});

describe('what API Gateway adds to the request', () => {
  const TRACE = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
  test('REST: X-Forwarded-For (the client\'s list plus the caller), -Proto, -Port and X-Amzn-Trace-Id, in headers and multiValueHeaders', async () => {
    const reply = await call(`${rest}/echo`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    const event = reply.json();
    const port = new URL(rest).port;
    expect(event.headers).toMatchObject({ 'X-Forwarded-For': '203.0.113.7, 127.0.0.1', 'X-Forwarded-Proto': 'http', 'X-Forwarded-Port': port });
    expect(event.multiValueHeaders).toMatchObject({ 'X-Forwarded-For': ['203.0.113.7, 127.0.0.1'], 'X-Forwarded-Proto': ['http'], 'X-Forwarded-Port': [port] });
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(TRACE);
    expect(reply.headers['x-amzn-trace-id']).toBe(event.headers['X-Amzn-Trace-Id']);
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
  test('HTTP API: the same headers, lower-cased, in payload 2.0 and 1.0; a client trace Root is kept', async () => {
    const root = 'Root=1-67891233-abcdef012345678912345678';
    const v2 = (await call(`${http}/echo`, { headers: { 'X-Amzn-Trace-Id': root } })).json();
    const port = new URL(http).port;
    expect(v2.headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': port, 'x-amzn-trace-id': root });
    expect(v2.requestContext.http.sourceIp).toBe('127.0.0.1');
    const v1 = (await call(`${http}/v1/echo`, { headers: { 'User-Agent': 'probe' } })).json();
    expect(v1.headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': port, 'user-agent': 'probe' });
    expect(v1.headers['x-amzn-trace-id']).toMatch(TRACE);
    expect(v1.multiValueHeaders['x-forwarded-for']).toEqual(['127.0.0.1']);
    expect(v1.requestContext.identity.sourceIp).toBe('127.0.0.1');
  });
});

describe('payload shapes and API Gateway\'s own answers', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
  test('payload 2.0 and 1.0 events carry their version, route key, raw path and request context', async () => {
    const v2 = (await call(`${http}/echo?a=1&a=2`)).json();
    expect(v2).toMatchObject({ version: '2.0', routeKey: 'ANY /echo', rawPath: '/echo', rawQueryString: 'a=1&a=2', queryStringParameters: { a: '1,2' }, isBase64Encoded: false });
    expect(v2.requestContext).toMatchObject({ routeKey: 'ANY /echo', stage: '$default', http: { method: 'GET', path: '/echo' } });
    const v1 = (await call(`${http}/v1/echo?a=1&a=2`)).json();
    expect(v1).toMatchObject({ version: '1.0', resource: '/v1/echo', path: '/v1/echo', httpMethod: 'GET', multiValueQueryStringParameters: { a: ['1', '2'] } });
    const r = (await call(`${rest}/echo`)).json();
    expect(r.version).toBeUndefined();
    expect(r).toMatchObject({ resource: '/echo', path: '/echo', requestContext: { stage: 'test', path: '/test/echo' } });
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
  test('a function error is REST 502 / HTTP 500; an unknown route is REST 403 / HTTP 404', async () => {
    const [rf, hf, rn, hn] = await Promise.all([call(`${rest}/fail`), call(`${http}/fail`), call(`${rest}/nowhere`), call(`${http}/nowhere`)]);
    expect([rf.status, rf.json()]).toEqual([502, { message: 'Internal server error' }]);
    expect([hf.status, hf.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    expect([rn.status, rn.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
    expect([hn.status, hn.json()]).toEqual([404, { message: 'Not Found' }]);
  });
});
