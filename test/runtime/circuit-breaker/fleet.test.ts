import { BREAKER_METRIC } from '../../../lib/contract';
import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { eventually, fail, FakeClock, instance, type Instance, metricCount, outcome, probeLeased, readItem, storedCount, succeed } from './harness';

// Many breakers with separate clients in one process stand in for many Lambda instances.
const FLEET = 50;

let db: LocalDynamo;
let table: string;
let clock: FakeClock;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(() => db.stop());
beforeEach(async () => {
  table = await db.createBreakerTable();
  clock = new FakeClock();
});

function fleet(options: Parameters<typeof instance>[3] = {}): Instance[] {
  return Array.from({ length: FLEET }, () => instance(db, table, clock, options));
}

test(`${FLEET} instances failing together: exactly one opens, stored counts equal calls made`, async () => {
  const instances = fleet({ minimumCalls: 10, halfOpenProbes: 3 });
  let made = 0;
  const downstream = async (): Promise<string> => {
    made++;
    throw new Error('downstream down');
  };
  await Promise.all(instances.map(async (i) => {
    for (let n = 0; n < 4; n++) await outcome(i.breaker, downstream);
  }));

  const openers = instances.filter((i) => i.changes.some((c) => c.to === 'OPEN' && c.byThisInstance));
  expect(openers).toHaveLength(1);
  expect(instances.reduce((sum, i) => sum + metricCount(i.metrics, BREAKER_METRIC.OPENED), 0)).toBe(1);

  const item = await readItem(db, table);
  expect(item.st.S).toBe('OPEN');
  expect(Number(item.ver.N)).toBe(1);
  expect(made).toBeGreaterThanOrEqual(10);
  expect(storedCount(item, 'f')).toBe(made);
  expect(storedCount(item, 's')).toBe(0);

  // every instance learned the state: the next call is rejected without a request
  for (const i of instances) i.requests.reset();
  const results = await Promise.all(instances.map((i) => outcome(i.breaker, succeed)));
  expect(new Set(results)).toEqual(new Set(['rejected']));
  expect(instances.reduce((sum, i) => sum + i.requests.total, 0)).toBe(0);
});

test(`half-open admits exactly halfOpenProbes probes across ${FLEET} instances`, async () => {
  const probes = 3;
  const instances = fleet({ minimumCalls: 4, halfOpenProbes: probes });
  for (let n = 0; n < 4; n++) await outcome(instances[0].breaker, fail);
  await Promise.all(instances.map((i) => i.breaker.state())); // every instance has seen OPEN
  clock.advance(30_000);

  let admitted = 0;
  const releases: Array<() => void> = [];
  const probe = (): Promise<string> => {
    admitted++;
    return new Promise((resolve) => releases.push(() => resolve('ok')));
  };
  const calls = instances.map((i) => outcome(i.breaker, probe));
  // wait until every call is either holding a permit or rejected
  const settled = Promise.all(calls);
  for (let spins = 0; spins < 1_000 && releases.length + (await countSettled(calls)) < FLEET; spins++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(admitted).toBe(probes);

  releases.forEach((release) => release());
  const results = await settled;
  expect(results.filter((r) => r === 'ok')).toHaveLength(probes);
  expect(results.filter((r) => r === 'rejected')).toHaveLength(FLEET - probes);

  const item = await readItem(db, table);
  expect(item.st.S).toBe('CLOSED');
  const closers = instances.filter((i) => i.changes.some((c) => c.to === 'CLOSED' && c.byThisInstance));
  expect(closers).toHaveLength(1);
});

test('a crashed probe cannot wedge the circuit: its lease expires and the permit is reclaimed', async () => {
  const a = instance(db, table, clock, { halfOpenProbes: 1 });
  const b = instance(db, table, clock, { halfOpenProbes: 1 });
  for (let n = 0; n < 4; n++) await outcome(a.breaker, fail);
  clock.advance(30_000);

  // a takes the only permit with 5 s left in its invocation, then "crashes" (never settles)
  let settleA!: (value: string) => void;
  const context = { getRemainingTimeInMillis: () => 5_000 };
  const crashed = a.breaker.execute(() => new Promise<string>((r) => (settleA = r)), context);
  await eventually(() => probeLeased(db, table), 'the probe holds its permit');
  const leased = await readItem(db, table);
  expect(Number(leased.lx0.N)).toBe(clock.now() + 5_000); // the lease is bounded by the remaining time

  expect(await outcome(b.breaker, succeed)).toBe('rejected');
  clock.advance(4_000);
  b.requests.reset();
  expect(await outcome(b.breaker, succeed)).toBe('rejected'); // lease still valid
  clock.advance(1_001);
  expect(await outcome(b.breaker, succeed)).toBe('rejected'); // lease ended, but within the clock-skew allowance
  clock.advance(1_000);
  expect(await outcome(b.breaker, succeed)).toBe('rejected');
  clock.advance(1_000);
  expect(await outcome(b.breaker, succeed)).toBe('ok'); // lease expired: b probes, and closes
  expect(await b.breaker.state()).toBe('CLOSED');

  // the crashed probe finishing late does not count
  settleA('late');
  expect(await crashed).toBe('late');
  const item = await readItem(db, table);
  expect(item.st.S).toBe('CLOSED');
  expect(Number(item.ver.N)).toBe(2);
});

test('without a remaining time, the lease is bounded by probeLeaseMs and callTimeoutMs', async () => {
  const i = instance(db, table, clock, { halfOpenProbes: 1, probeLeaseMs: 8_000, callTimeoutMs: 3_000 });
  for (let n = 0; n < 4; n++) await outcome(i.breaker, fail);
  clock.advance(30_000);
  let release!: () => void;
  const probe = i.breaker.execute(() => new Promise<string>((r) => (release = () => r('ok'))));
  await eventually(() => probeLeased(db, table), 'the probe holds its permit');
  expect(Number((await readItem(db, table)).lx0.N)).toBe(clock.now() + 3_000);
  release();
  await probe;
});

async function countSettled(promises: Array<Promise<unknown>>): Promise<number> {
  const marker = Symbol('pending');
  const states = await Promise.all(promises.map((p) => Promise.race([p, Promise.resolve(marker)])));
  return states.filter((s) => s !== marker).length;
}

test('clocks 2 s apart (±1 s) cannot admit a second probe while the first still runs', async () => {
  const ahead = new FakeClock(clock.now() + 2_000); // b's clock runs 2 s ahead of a's
  const a = instance(db, table, clock, { halfOpenProbes: 1 });
  const b = instance(db, table, ahead, { halfOpenProbes: 1 });
  for (let n = 0; n < 4; n++) await outcome(a.breaker, fail);
  clock.advance(30_000);
  ahead.advance(30_000);
  let settleA!: (value: string) => void;
  const probing = a.breaker.execute(() => new Promise<string>((r) => (settleA = r)), { getRemainingTimeInMillis: () => 5_000 });
  await eventually(() => probeLeased(db, table), 'the probe holds its permit');
  clock.advance(4_900); // a's probe is still inside its 5 s lease...
  ahead.advance(4_900); // ...which b's clock already sees as 1.9 s past
  let secondProbes = 0;
  for (let n = 0; n < 5; n++) {
    if ((await outcome(b.breaker, async () => { secondProbes++; return 'ok'; })) === 'ok') break;
    ahead.advance(20);
  }
  expect(secondProbes).toBe(0);
  settleA('ok');
  expect(await probing).toBe('ok');
});
