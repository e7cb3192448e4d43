import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { main } from '../../lib/local/cli/main';
import { VirtualClock } from '../../lib/local/clock/clock';
import { formatSummary } from '../../lib/local/observe/run-summary';
import { startLocalRunner } from '../../lib/local/runner';
import { httpApiTo, inlineFunction, writeAssembly } from './support/handmade-assembly';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A table, a function behind GET /hello, and a rule on the default bus to a function that writes to the table. */
function app() {
  const writer = `const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  await client.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { pk: { S: event.detail.id } } }));
  return { stored: event.detail.id };
};`;
  const a = writeAssembly({ App: { Resources: {
    Hello: inlineFunction('hi'),
    ...httpApiTo('Hello'),
    Items: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'items', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] } },
    Writer: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { ZipFile: writer }, Environment: { Variables: { TABLE: { Ref: 'Items' } } } } },
    OnItem: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['test'], 'detail-type': ['Item'] }, Targets: [{ Id: 'w', Arn: { 'Fn::GetAtt': ['Writer', 'Arn'] } }] } },
  } } });
  cleanups.push(a.remove);
  return a.directory;
}

test('an SDK client in a function reaches the template\'s table through the injected endpoint and dummy credentials; --data-dir keeps the data', async () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'local-data-'));
  cleanups.push(() => rmSync(dataDirectory, { recursive: true, force: true }));
  const assembly = app();
  const first = await startLocalRunner({ assembly, port: 0, dataDirectory, log: () => undefined });
  first.putEvents([{ Source: 'test', DetailType: 'Item', Detail: '{"id":"kept"}' }]);
  await first.settled();
  expect(first.summary().functions.find((f) => f.name === 'Writer')).toMatchObject({ invocations: 1, errors: 0 });
  await first.close();

  const second = await startLocalRunner({ assembly, port: 0, dataDirectory, log: () => undefined });
  try {
    const item = await second.dynamo.client.send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'kept' } } }));
    expect(item.Item?.pk.S).toBe('kept');
  } finally {
    await second.close();
  }

  const inMemory = await startLocalRunner({ assembly, port: 0, log: () => undefined });
  try {
    await inMemory.dynamo.client.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'x' } } }));
    const item = await inMemory.dynamo.client.send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'kept' } } }));
    expect(item.Item).toBeUndefined();
  } finally {
    await inMemory.close();
  }
});

test('the put-events command reaches a running runner; the summary counts what happened', async () => {
  const runner = await startLocalRunner({ assembly: app(), port: 0, log: () => undefined });
  try {
    const out: string[] = [];
    const code = await main(['put-events', '--url', runner.eventsUrl, '--source', 'test', '--detail-type', 'Item', '--detail', '{"id":"cli"}'], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ FailedEntryCount: 0 });
    await runner.settled();
    const reply = await fetch(`${runner.apis[0].url}/hello`);
    expect(await reply.text()).toBe('hi');
    const summary = await runner.close();
    expect(summary).toMatchObject({ eventsPut: 1, deliveries: { delivered: 1 }, apis: [{ name: 'Api', statuses: { 200: 1 } }] });
    expect(summary.functions.find((f) => f.name === 'Writer')).toMatchObject({ invocations: 1, coldStarts: 1 });
    expect(formatSummary(summary)).toMatch(/Writer: 1 invocations, 1 cold, 0 throttled, 0 timed out, 0 errors/);
  } finally {
    await runner.close();
  }
});

test('an HTTP API with CORS answers preflights and adds the allow-origin header to answers for allowed origins', async () => {
  const resources = { Hello: inlineFunction('hi'), ...httpApiTo('Hello') } as Record<string, { Properties?: Record<string, unknown> }>;
  resources.Api.Properties!.CorsConfiguration = { AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET'], AllowHeaders: ['content-type'], MaxAge: 600 };
  const a = writeAssembly({ App: { Resources: resources } });
  cleanups.push(a.remove);
  const runner = await startLocalRunner({ assembly: a.directory, port: 0, log: () => undefined });
  try {
    const url = `${runner.apis[0].url}/hello`;
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-max-age')).toBe('600');
    const allowed = await fetch(url, { headers: { origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await fetch(url, { headers: { origin: 'https://evil.example.com' } });
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([200, null]);
  } finally {
    await runner.close();
  }
});

test('a function URL is served with payload 2.0 events on its own port', async () => {
  const echo = 'exports.handler = async (event) => ({ version: event.version, routeKey: event.routeKey, path: event.rawPath, qs: event.queryStringParameters });';
  const a = writeAssembly({ App: { Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { ZipFile: echo } } },
    Url: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, AuthType: 'NONE' } },
  } } });
  cleanups.push(a.remove);
  const runner = await startLocalRunner({ assembly: a.directory, port: 0, log: () => undefined });
  try {
    expect(runner.apis.map((x) => [x.kind, x.routes])).toEqual([['http', ['$default']]]);
    const reply = await fetch(`${runner.apis[0].url}/any/path?x=1`);
    expect([reply.status, await reply.json()]).toEqual([200, { version: '2.0', routeKey: '$default', path: '/any/path', qs: { x: '1' } }]);
  } finally {
    await runner.close();
  }
});

test('an asynchronous invocation beyond reserved concurrency is retried by Lambda (on the runner clock) instead of lost', async () => {
  const slow = 'exports.handler = async (event) => { await new Promise((r) => setTimeout(r, 200)); return event.detail.n; };';
  const a = writeAssembly({ App: { Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', ReservedConcurrentExecutions: 1, Code: { ZipFile: slow } } },
    Rule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['t'] }, Targets: [{ Id: 'fn', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }] } },
  } } });
  cleanups.push(a.remove);
  const clock = new VirtualClock(new Date('2026-11-26T10:00:00Z'));
  const lines: string[] = [];
  const runner = await startLocalRunner({ assembly: a.directory, port: 0, clock, log: (l) => lines.push(l) });
  try {
    runner.putEvents([1, 2].map((n) => ({ Source: 't', DetailType: 'x', Detail: JSON.stringify({ n }) })));
    await runner.settled();
    const fn = runner.functions.resolve('Fn')!;
    expect(fn.pool.stats).toMatchObject({ invocations: 2, throttles: 1 });
    expect(lines.some((l) => /Fn \(rule Rule\): retry-scheduled TooManyRequestsException; retry 1 in 1 s/.test(l))).toBe(true);
    clock.advanceBy(1000);
    await runner.settled();
    expect(fn.pool.stats).toMatchObject({ invocations: 3, throttles: 1, errors: 0 });
  } finally {
    await runner.close();
  }
});
