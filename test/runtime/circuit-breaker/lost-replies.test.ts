import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { fail, FakeClock, instance, type Instance, outcome, readItem, storedCount, succeed } from './harness';

/*
 * A flush is a non-idempotent ADD. These tests lose or delay its replies after DynamoDB applied it and check
 * that the stored counts still match the calls: never doubled (a replayed ADD), never silently lost.
 */

let db: LocalDynamo;
let table: string;
let clock: FakeClock;

beforeAll(async () => {
  db = await startDynalite();
});
// requests still on their way (retries after a throttle, late replies) must land before the server stops
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 300));
  await db.stop();
});
beforeEach(async () => {
  table = await db.createBreakerTable();
  clock = new FakeClock();
});

const realTime = (ms: number) => new Promise((r) => setTimeout(r, ms));
// One window for the whole run, so no counter leaves it and the item holds every count ever flushed.
const LONG_WINDOW = { windowMs: 3_600_000, flushAfterFailures: undefined };

async function stored(): Promise<number> {
  const item = await readItem(db, table);
  return storedCount(item, 's') + storedCount(item, 'f');
}

/** Calls on every instance, `perSecond` each, for `seconds` of virtual time; every `failEvery`-th fails. */
async function traffic(fleet: Instance[], seconds: number, perSecond: number, failEvery = 0, pauseMs = 0): Promise<number> {
  let calls = 0;
  for (let tick = 0; tick < seconds * perSecond; tick++) {
    clock.advance(1000 / perSecond);
    for (const i of fleet) {
      calls++;
      await outcome(i.breaker, failEvery > 0 && calls % failEvery === 0 ? fail : succeed);
    }
    if (pauseMs) await realTime(pauseMs);
  }
  return calls;
}

test('every third reply lost: stored counts stay within 5 % of the calls (a replayed ADD would add a third)', async () => {
  const fleet = Array.from({ length: 4 }, () => instance(db, table, clock, LONG_WINDOW, { loseReply: (n) => n % 3 === 0 }));
  const calls = await traffic(fleet, 200, 4, 10);
  const count = await stored();
  expect(Math.abs(count - calls) / calls).toBeLessThanOrEqual(0.05);
  expect(count).toBeLessThanOrEqual(calls); // never more: a count is applied at most once
  // marks make the resent flushes safe; they are a handful of attributes, not one per flush
  expect(Object.keys(await readItem(db, table)).filter((k) => k.startsWith('m_')).length).toBeLessThanOrEqual(fleet.length);
}, 60_000);

test('a store slower than the deadline: late replies are awaited, so counts are neither doubled nor lost', async () => {
  // storeTimeoutMs 20 against replies 30 ms late stands for a 200 ms deadline against a 300 ms store
  const fleet = Array.from({ length: 3 }, () => instance(db, table, clock, { ...LONG_WINDOW, storeTimeoutMs: 20 }, { replyDelayMs: 30 }));
  let calls = await traffic(fleet, 120, 2, 0, 2);
  for (let round = 0; round < 4; round++) {
    // drain: every instance's guard pause passes, it flushes once more, the late reply arrives
    clock.advance(31_000);
    calls += await traffic(fleet, 1, 1);
    await realTime(100);
  }
  const count = await stored();
  expect(Math.abs(count - calls) / calls).toBeLessThanOrEqual(0.05);
}, 60_000);

test('a store slower than the deadline during an outage: the circuit still opens and the downstream is spared', async () => {
  const fleet = Array.from({ length: 3 }, () => instance(db, table, clock, { storeTimeoutMs: 20, flushAfterFailures: undefined }, { replyDelayMs: 30 }));
  let reached = 0;
  let calls = 0;
  for (let tick = 0; tick < 60 * 5; tick++) {
    clock.advance(200);
    for (const i of fleet) {
      calls++;
      await i.breaker.execute(async () => {
        reached++;
        throw new Error('down');
      }).catch(() => undefined);
    }
    await realTime(2);
  }
  await realTime(100);
  expect((await readItem(db, table)).st?.S).toBe('OPEN'); // from a late reply's view: before, it never opened
  expect(reached / calls).toBeLessThan(0.1); // each instance's local breaker rejects meanwhile
}, 60_000);
