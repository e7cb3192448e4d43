import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareApp, PreparedApp, RunningApp } from '../conformance/support/packed-runner';

/*
 * A CRUD service written the way CDK users write one (apps/items-crud: a RestApi, five NodejsFunctions with
 * NodejsFunction's defaults, so @aws-sdk/* stays external, a DynamoDB table named through the environment,
 * uuid bundled), run unmodified by the packed CLI. The app installs no AWS SDK: Lambda's Node.js runtime
 * provides it, and so must the runner.
 *
 * Lambda proxy integration (the function's statusCode and body are the response):
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * The SDK the Node.js runtime includes: https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html
 * Conditional writes (attribute_exists fails with ConditionalCheckFailedException):
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */

let app: PreparedApp;
let runner: RunningApp;
let items: string;

beforeAll(async () => {
  app = await prepareApp(path.join(__dirname, 'items-crud'));
  runner = await app.start();
  items = `${runner.apis['ItemsApi']}/items`;
});
afterAll(() => app?.remove());

const send = (url: string, method: string, body?: unknown) => fetch(url, {
  method,
  ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('the app installed no AWS SDK of its own: its bundles import what Lambda provides, and bundle uuid', () => {
  expect(() => require.resolve('@aws-sdk/lib-dynamodb', { paths: [app.dir] })).toThrow();
  const bundles = fs.readdirSync(app.assembly).filter((d) => d.startsWith('asset.')).map((d) => path.join(app.assembly, d, 'index.js')).filter((f) => fs.existsSync(f));
  expect(bundles).toHaveLength(5);
  for (const bundle of bundles) expect(fs.readFileSync(bundle, 'utf8')).toMatch(/require\("@aws-sdk\/lib-dynamodb"\)/);
  const create = bundles.map((b) => fs.readFileSync(b, 'utf8')).filter((code) => code.includes('PutCommand'));
  expect(create).toHaveLength(1);
  expect(create[0]).not.toMatch(/require\("uuid"\)/);
  expect(runner.report).toMatch(/DynamoDB \(dynalite\): http:\/\/127\.0\.0\.1:\d+, tables: Items \(ItemsCrud-Items/);
});

test('created items are stored under a fresh uuid and read back by id', async () => {
  const created = await send(items, 'POST', { name: 'lamp', price: 25 });
  expect(created.status).toBe(201);
  const item = (await created.json()) as { itemId: string; name: string; price: number };
  expect(item).toEqual({ itemId: expect.stringMatching(UUID_V4), name: 'lamp', price: 25 });

  const read = await fetch(`${items}/${item.itemId}`);
  expect([read.status, await read.json()]).toEqual([200, item]);
});

test('the list holds every created item', async () => {
  const ids: string[] = [];
  for (const name of ['desk', 'chair']) {
    const created = await send(items, 'POST', { name });
    ids.push(((await created.json()) as { itemId: string }).itemId);
  }
  const list = await fetch(items);
  expect(list.status).toBe(200);
  const listed = (await list.json()) as Array<{ itemId: string; name: string }>;
  expect(listed).toEqual(expect.arrayContaining([{ itemId: ids[0], name: 'desk' }, { itemId: ids[1], name: 'chair' }]));
});

test('an update changes the stored item; updating an unknown id is 404', async () => {
  const created = (await (await send(items, 'POST', { name: 'shelf', price: 40 })).json()) as { itemId: string };
  const updated = await send(`${items}/${created.itemId}`, 'PATCH', { price: 35 });
  expect([updated.status, await updated.json()]).toEqual([200, { itemId: created.itemId, name: 'shelf', price: 35 }]);
  expect(await (await fetch(`${items}/${created.itemId}`)).json()).toEqual({ itemId: created.itemId, name: 'shelf', price: 35 });

  const unknown = await send(`${items}/00000000-0000-4000-8000-000000000000`, 'PATCH', { price: 1 });
  expect(unknown.status).toBe(404);
});

test('a deleted item is gone: reading it is 404, deleting it again is 404', async () => {
  const created = (await (await send(items, 'POST', { name: 'rug' })).json()) as { itemId: string };
  const deleted = await send(`${items}/${created.itemId}`, 'DELETE');
  expect([deleted.status, await deleted.text()]).toEqual([204, '']);
  expect((await fetch(`${items}/${created.itemId}`)).status).toBe(404);
  expect((await send(`${items}/${created.itemId}`, 'DELETE')).status).toBe(404);
  const listed = (await (await fetch(items)).json()) as Array<{ itemId: string }>;
  expect(listed.map((i) => i.itemId)).not.toContain(created.itemId);
});

test('a body that is not an object of attributes is the handler\'s 400, not a runner error', async () => {
  const bad = await fetch(items, { method: 'POST', body: '[1, 2]' });
  expect([bad.status, await bad.json()]).toEqual([400, { message: 'the body must be a JSON object of the item attributes' }]);
});

test('a route without a method is API Gateway\'s own 403 "Missing Authentication Token"', async () => {
  // A method or resource that does not exist answers MISSING_AUTHENTICATION_TOKEN (403):
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
  // https://repost.aws/knowledge-center/api-gateway-authentication-token-errors
  const put = await send(items, 'PUT', { name: 'x' });
  expect([put.status, await put.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
});

test('the run summary counts the requests per status when the runner is stopped', async () => {
  const { code, output } = await runner.stop();
  expect(code).toBe(0);
  // Every request of this file, by status: 5 created, 5 reads/lists/updates, 1 delete, 1 bad body, 1 PUT, 3 unknown ids.
  expect(output).toContain('  API ItemsApi: 200: 5, 201: 5, 204: 1, 400: 1, 403: 1, 404: 3');
  expect(output).toMatch(/ {4}CreateItem: 6 invocations, 1 cold, 0 throttled, 0 timed out, 0 errors/);
});
