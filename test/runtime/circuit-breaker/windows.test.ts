import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { fail, FakeClock, instance, outcome, readItem, storedCount, succeed } from './harness';

/*
 * Outcomes belong to the window of their call: counts that wait for a flush (the store was down, the
 * instance went idle) land in the bucket they were counted in, and are dropped rather than replayed once
 * that bucket has left the window. And the item stays bounded however long the circuit flaps.
 */

let db: LocalDynamo;
let table: string;
let clock: FakeClock;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => db.stop());
beforeEach(async () => {
  table = await db.createBreakerTable();
  clock = new FakeClock();
});

/** A real dynalite client that fails every request while `down` is set, as a network partition would. */
function partitionable(): { client: DynamoDBClient; down: boolean } {
  const real = db.client();
  const handle = {
    down: false,
    client: {
      send: (command: unknown) => (handle.down ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' })) : real.send(command as never)),
      destroy: () => real.destroy(),
    } as unknown as DynamoDBClient,
  };
  return handle;
}

test('failures that could not be flushed are not replayed into a later window: idle 10 minutes, then healthy traffic stays CLOSED', async () => {
  const store = partitionable();
  const i = instance(db, table, clock, { client: store.client });
  expect(await outcome(i.breaker, succeed)).toBe('ok');
  store.down = true;
  for (let n = 0; n < 4; n++) {
    clock.advance(50);
    await outcome(i.breaker, fail); // every call fails; no flush reaches the store
  }
  store.down = false;
  clock.advance(10 * 60_000);
  for (let n = 0; n < 3; n++) expect(await outcome(i.breaker, succeed)).toBe('ok');
  const item = await readItem(db, table);
  expect(item.st).toEqual({ S: 'CLOSED' });
  expect(storedCount(item, 'f')).toBe(0);
});

test('counts that wait inside the window are written to the bucket of their call, not of the flush', async () => {
  const store = partitionable();
  const i = instance(db, table, clock, { client: store.client, minimumCalls: 100 });
  expect(await outcome(i.breaker, succeed)).toBe('ok'); // bucket of t0 (windowMs 60 s: 6 s buckets)
  const callBucket = Math.floor(clock.now() / 6_000);
  store.down = true;
  clock.advance(100);
  await outcome(i.breaker, fail);
  store.down = false;
  clock.advance(20_000); // three buckets later, still inside the window
  await outcome(i.breaker, succeed);
  const item = await readItem(db, table);
  expect(item[`f_0_${callBucket}`]).toEqual({ N: '1' });
  expect(storedCount(item, 'f')).toBe(1);
});

test('hours of flapping keep the item under 4 KB: counters of old versions and old buckets are removed', async () => {
  const i = instance(db, table, clock, { halfOpenProbes: 2, openMs: 1_000, maxOpenMs: 1_000 });
  let largest = 0;
  for (let cycle = 0; cycle < 120; cycle++) {
    // A burst of failures opens it, the open period passes, two probes close it: one cycle per ~30 s.
    for (let n = 0; n < 8; n++) {
      clock.advance(1_000);
      await outcome(i.breaker, fail);
    }
    clock.advance(2_000);
    await outcome(i.breaker, succeed);
    await outcome(i.breaker, succeed);
    for (let n = 0; n < 5; n++) {
      clock.advance(4_000);
      await outcome(i.breaker, succeed);
    }
    const item = await readItem(db, table);
    largest = Math.max(largest, Object.entries(item).reduce((bytes, [k, v]) => bytes + k.length + JSON.stringify(v).length, 0));
  }
  const item = await readItem(db, table);
  expect(Number(item.ver.N)).toBeGreaterThan(100); // it really flapped: an open and a close per cycle
  expect(largest).toBeLessThan(4_096);
});
