import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { exampleWorld } from '../support/example-world';
import type { Harness } from '../support/runner-harness';
import { call } from '../support/http-client';

const world = exampleWorld();
let h: Harness;

beforeAll(async () => {
  h = await world.harness(new Date('2026-11-26T12:01:00Z'));
});

async function circuitItem() {
  const table = h.runner.model.tables[0].tableName;
  const out = await h.runner.dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'pricing' } }, ConsistentRead: true }));
  return out.Item;
}

test('the table of the template exists in dynalite and the quote function reaches it through the injected endpoint', async () => {
  const quote = await call(`${h.api('HttpApi/HttpApi')}/quote`);
  expect([quote.status, quote.json()]).toEqual([200, { price: 42, currency: 'EUR' }]);
  await h.runner.settled();
  expect((await circuitItem())?.st?.S ?? 'CLOSED').toBe('CLOSED');
});

test('failures of the downstream open the shared breaker (503s, OPEN item); it recovers through half-open', async () => {
  world.pricing.failing = true;
  const statuses: number[] = [];
  // Outcomes reach the store with each instance's flush, every flushMs (5 s): call for up to 15 s.
  for (let i = 0; i < 60 && !statuses.includes(503); i++) {
    statuses.push((await call(`${h.api('HttpApi/HttpApi')}/quote`)).status);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // An outage (>= 90 % of at least minimumCalls 10 recent calls failed): the downstream saw the failing calls,
  // then the breaker answered alone.
  expect(statuses.filter((s) => s === 502).length).toBeGreaterThanOrEqual(9);
  expect(statuses.at(-1)).toBe(503);
  const callsWhenOpen = world.pricing.calls;
  const rejected = await call(`${h.api('HttpApi/HttpApi')}/quote`);
  expect([rejected.status, rejected.headers['retry-after']]).toEqual([503, '30']);
  expect(world.pricing.calls).toBe(callsWhenOpen);
  await h.runner.settled();
  const open = await circuitItem();
  expect(open?.st?.S).toBe('OPEN');
  expect(Number(open?.ou?.N)).toBeGreaterThan(Date.now());
  expect(h.lines.some((l) => /breaker pricing: CLOSED -> OPEN \(version \d+, open until/.test(l))).toBe(true);

  // Time passes: the open period ends (moved in the store, as 30 s would) and Lambda recycles the environments,
  // which had cached the open state.
  world.pricing.failing = false;
  await h.runner.dynamo.client.send(new UpdateItemCommand({
    TableName: h.runner.model.tables[0].tableName, Key: { pk: { S: 'pricing' } },
    UpdateExpression: 'SET ou = :past', ExpressionAttributeValues: { ':past': { N: String(Date.now() - 1) } },
  }));
  await h.runner.functions.recycle('Quote');

  const first = await call(`${h.api('HttpApi/HttpApi')}/quote`);
  expect(first.status).toBe(200);
  await h.runner.settled();
  expect((await circuitItem())?.st?.S).toBe('HALF_OPEN');
  for (let i = 0; i < 4; i++) expect((await call(`${h.api('HttpApi/HttpApi')}/quote`)).status).toBe(200);
  await h.runner.settled();
  const closed = await circuitItem();
  expect(closed?.st?.S).toBe('CLOSED');
  expect(Number(closed?.ver?.N)).toBeGreaterThan(Number(open?.ver?.N));
  const transitions = h.lines.filter((l) => l.includes('breaker pricing:')).map((l) => l.replace(/^.*breaker pricing: (\w+ -> \w+).*$/, '$1'));
  expect(transitions).toEqual(['CLOSED -> OPEN', 'OPEN -> HALF_OPEN', 'HALF_OPEN -> CLOSED']);
});
