import { exampleWorld } from '../support/example-world';
import type { Harness } from '../support/runner-harness';
import { call } from '../support/http-client';
import { main } from '../../../lib/local/cli/main';

const world = exampleWorld();
let h: Harness;

beforeAll(async () => {
  h = await world.harness(new Date('2026-11-26T07:58:00Z'));
});

describe('the example app over HTTP', () => {
  test('GET /hello answers "Hello, Serverless!" on the HTTP API (payload 2.0) and the REST API (payload 1.0, stage prefix)', async () => {
    const http = await call(`${h.api('HttpApi/HttpApi')}/hello`);
    const rest = await call(`${h.api('RestApi/RestApi', 'prod')}/hello`);
    expect([http.status, http.text(), http.headers['content-type']]).toEqual([200, 'Hello, Serverless!', 'text/plain']);
    expect([rest.status, rest.text(), rest.headers['content-type']]).toEqual([200, 'Hello, Serverless!', 'text/plain']);
    expect(http.headers['apigw-requestid']).toBeDefined();
    expect(rest.headers['x-amzn-requestid']).toBeDefined();
    const hello = h.runner.model.apis.flatMap((a) => a.routes.map((r) => [a.kind, r.backend]));
    expect(hello).toEqual(expect.arrayContaining([
      ['http', expect.objectContaining({ kind: 'lambda', payloadVersion: '2.0' })],
      ['rest', expect.objectContaining({ kind: 'lambda', payloadVersion: '1.0' })],
    ]));
    // Hello has provisioned concurrency 1: the first request finds that environment already initialised.
    const first = h.invocationsOf('Hello')[0];
    expect(first.result.facts).toMatchObject({ cold: false, initializationType: 'provisioned-concurrency' });
    expect(first.qualifier).toBe('live');
  });
});

describe('REST API (v1) events and responses', () => {
  test('path parameters, repeated query parameters and headers, stage and request context', async () => {
    const reply = await call(`${h.api('FixtureRest', 'test')}/echo/42?a=1&a=2&b=x%20y`, { headers: { 'X-Custom': ['one', 'two'] } });
    expect(reply.status).toBe(200);
    // multiValueHeaders of the answer become one header line per value
    expect(reply.rawHeaders.filter((_h, i) => i % 2 === 0 && reply.rawHeaders[i].toLowerCase() === 'x-multi')).toHaveLength(2);
    const event = reply.json();
    expect(event).toMatchObject({
      resource: '/echo/{id}', path: '/echo/42', httpMethod: 'GET',
      pathParameters: { id: '42' },
      queryStringParameters: { a: '2', b: 'x y' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
      body: null, isBase64Encoded: false, stageVariables: null,
      requestContext: { stage: 'test', path: '/test/echo/42', resourcePath: '/echo/{id}', httpMethod: 'GET', accountId: '123456789012' },
    });
    expect(event.version).toBeUndefined();
    expect(event.headers['X-Custom']).toBe('two');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['one', 'two']);
  });

  test('a binary media type arrives base64-encoded, text as it is; a greedy path parameter takes the rest of the path', async () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const binary = (await call(`${h.api('FixtureRest', 'test')}/echo/b`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes })).json();
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body, 'base64')).toEqual(bytes);
    const text = (await call(`${h.api('FixtureRest', 'test')}/echo/t`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hé' })).json();
    expect([text.isBase64Encoded, text.body]).toEqual([false, 'hé']);
    const greedy = (await call(`${h.api('FixtureRest', 'test')}/files/a/b/c.txt`)).json();
    expect([greedy.resource, greedy.pathParameters]).toEqual(['/files/{proxy+}', { proxy: 'a/b/c.txt' }]);
  });

  test('unknown routes and stages get API Gateway\'s REST answers', async () => {
    const noRoute = await call(`${h.api('FixtureRest', 'test')}/nope`);
    expect([noRoute.status, noRoute.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
    const noStage = await call(`${h.api('FixtureRest', 'test').replace('/test', '/nostage')}/echo/1`);
    expect(noStage.status).toBe(403);
  });
});

describe('HTTP API (v2) events and responses', () => {
  test('payload 2.0: lower-case joined headers, cookies, joined query parameters, raw path and query, route key', async () => {
    const reply = await call(`${h.api('FixtureHttp')}/echo/42?a=1&a=2`, { headers: { 'X-Custom': ['one', 'two'], cookie: 'c1=v1; c2=v2' } });
    const event = reply.json();
    expect(event).toMatchObject({
      version: '2.0', routeKey: 'ANY /echo/{id}', rawPath: '/echo/42', rawQueryString: 'a=1&a=2',
      queryStringParameters: { a: '1,2' }, pathParameters: { id: '42' }, cookies: ['c1=v1', 'c2=v2'], isBase64Encoded: false,
      requestContext: { routeKey: 'ANY /echo/{id}', stage: '$default', http: { method: 'GET', path: '/echo/42' } },
    });
    expect(event.headers['x-custom']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
  });

  test('non-text bodies arrive base64-encoded, JSON as text', async () => {
    const png = Buffer.from([137, 80, 78, 71, 0, 255]);
    const binary = (await call(`${h.api('FixtureHttp')}/echo/1`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png })).json();
    expect([binary.isBase64Encoded, Buffer.from(binary.body, 'base64')]).toEqual([true, png]);
    const json = (await call(`${h.api('FixtureHttp')}/echo/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })).json();
    expect([json.isBase64Encoded, json.body]).toEqual([false, '{"a":1}']);
  });

  test('an answer without statusCode becomes a 200 JSON response; a 1.0 route gets a v1 event; no route is 404', async () => {
    const plain = await call(`${h.api('FixtureHttp')}/plain`);
    expect([plain.status, plain.headers['content-type'], plain.json()]).toEqual([200, 'application/json', { hello: 'world' }]);
    const v1 = (await call(`${h.api('FixtureHttp')}/v1/x/y?q=1`)).json();
    expect(v1).toMatchObject({ version: '1.0', resource: '/v1/{proxy+}', pathParameters: { proxy: 'x/y' }, queryStringParameters: { q: '1' }, requestContext: { routeKey: 'GET /v1/{proxy+}' } });
    const missing = await call(`${h.api('FixtureHttp')}/nope`);
    expect([missing.status, missing.json()]).toEqual([404, { message: 'Not Found' }]);
  });

  test('stage throttling (rate 1/s, burst 2) answers 429 beyond the burst', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(`${h.api('Throttled')}/echo/${i}`)).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    const limited = await call(`${h.api('Throttled')}/echo/x`);
    if (limited.status === 429) expect(limited.json()).toEqual({ message: 'Too Many Requests' });
  });
});

describe('Lambda limits seen through API Gateway', () => {
  test('reserved concurrency 2: a third concurrent request is throttled (API Gateway answers 500)', async () => {
    const replies = await Promise.all([1, 2, 3].map(() => call(`${h.api('FixtureRest', 'test')}/slow?ms=400`)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 500]);
    expect(replies.find((r) => r.status === 500)!.json()).toEqual({ message: 'Internal server error' });
    const throttled = h.invocationsOf('Slow').filter((r) => r.result.facts.throttled);
    expect(throttled).toHaveLength(1);
    expect(throttled[0].result.error?.errorType).toBe('TooManyRequestsException');
  });

  test('a handler timeout is a 502 (REST) / 500 (HTTP API) and the environment is replaced', async () => {
    const [rest, http] = await Promise.all([
      call(`${h.api('FixtureRest', 'test')}/slow?ms=2000`),
      call(`${h.api('FixtureHttp')}/slow?ms=2000`),
    ]);
    expect([rest.status, rest.json()]).toEqual([502, { message: 'Internal server error' }]);
    expect([http.status, http.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    const timedOut = h.invocationsOf('Slow').filter((r) => r.result.facts.timedOut);
    expect(timedOut).toHaveLength(2);
    expect(timedOut[0].result.error?.errorType).toBe('Sandbox.Timedout');
    const gone = new Set(timedOut.map((r) => r.result.facts.environmentId));
    const after = await call(`${h.api('FixtureHttp')}/slow?ms=0`);
    expect(after.status).toBe(200);
    const last = h.invocationsOf('Slow').at(-1)!;
    expect(gone.has(last.result.facts.environmentId!)).toBe(false);
    const slow = h.runner.functions.resolve('Slow', 'live')!;
    expect(slow.pool.environmentList().some((e) => gone.has(e.environmentId))).toBe(false);
    expect(slow.pool.stats.timeouts).toBe(2);
  });
});

describe('live log', () => {
  test('one line per invocation with route, function, environment, cold/warm, durations and status', () => {
    const line = h.lines.find((l) => l.includes('GET /hello') && l.includes('Hello:live'));
    expect(line).toMatch(/GET \/hello\s+-> Hello:live\s+Hello#\d+\s+warm dur [\d.]+ ms 200/);
    expect(h.lines.some((l) => /-> Slow:live\s+Slow#\d+\s+(cold init [\d.]+ ms|warm) dur [\d.]+ ms 502 \(timed out: environment replaced\)/.test(l))).toBe(true);
    if (process.env.SHOW_LOCAL_LOG) console.log(h.lines.join('\n'));
    expect(h.lines.some((l) => /-> Slow:live\s+throttled \(reserved concurrency\) 500/.test(l))).toBe(true);
  });
});

describe('the CLI on the example app (what npm start runs after cdk synth)', () => {
  test('prints the URLs to try; GET /hello answers "Hello, Serverless!"; Ctrl-C prints the summary and exits 0', async () => {
    const out: string[] = [];
    const exited = main(['local', '--app', world.directory, '--port', '0', '--quiet'], { out: (s) => out.push(s), err: (s) => out.push(s) });
    for (let i = 0; i < 200 && !out.some((l) => l.includes('Try:')); i++) await new Promise((r) => setTimeout(r, 25));
    const report = out.join('\n');
    expect(report).toMatch(/HTTP API \(v2 events\) HttpApi\/HttpApi: http:\/\/127\.0\.0\.1:\d+\n\s+GET \/hello/);
    const hello = /curl (http:\/\/127\.0\.0\.1:\d+\/hello)\n/.exec(report)![1];
    expect(await (await fetch(hello)).text()).toBe('Hello, Serverless!');
    expect(report).toMatch(/curl -X POST http:\/\/127\.0\.0\.1:\d+\/events -d '\{"source":"example\.orders","detail-type":"OrderPlaced"/);
    process.emit('SIGINT');
    expect(await exited).toBe(0);
    expect(out.join('\n')).toMatch(/Summary\n  functions:\n    Hello: 1 invocations/);
  });
});
