import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { seededRandom } from '../../support/seeded-random';
import { fail, FakeClock, instance, type Instance, outcome, readItem, succeed } from './harness';

/*
 * A fleet that starts together (a deploy, a scale-out) with the shipped defaults: 50 instances, each about
 * 5 calls/s. At a partial failure rate below the threshold the circuit must not open however the first
 * flushes arrive; at an outage it must open within seconds. Seeded, so a failure replays exactly.
 */

let db: LocalDynamo;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => db.stop());

const SHIPPED_DEFAULTS = { failureRateThreshold: undefined, minimumCalls: undefined, windowMs: undefined, openMs: undefined, refreshMs: undefined, flushMs: undefined, flushAfterFailures: undefined } as const;

/** Runs the fleet for `seconds` of virtual time; returns when the circuit first opened (ms after start), if it did. */
async function runFleet(seed: number, failureRate: number, seconds: number): Promise<{ openedAfterMs: number | undefined; calls: number }> {
  const table = await db.createBreakerTable();
  const clock = new FakeClock();
  const start = clock.now();
  const rnd = seededRandom(seed);
  const fleet: Instance[] = Array.from({ length: 50 }, () => instance(db, table, clock, { ...SHIPPED_DEFAULTS, storeTimeoutMs: 10_000 }));
  let openedAfterMs: number | undefined;
  let calls = 0;
  for (let tick = 0; tick < seconds * 10 && openedAfterMs === undefined; tick++) {
    clock.advance(100);
    for (const i of fleet) {
      if (rnd() >= 0.5) continue; // about 5 calls/s per instance, instances out of step
      calls++;
      await outcome(i.breaker, rnd() < failureRate ? fail : succeed);
      if (i.changes.some((c) => c.to === 'OPEN')) openedAfterMs = clock.now() - start;
    }
  }
  if (openedAfterMs === undefined && (await readItem(db, table)).st?.S === 'OPEN') openedAfterMs = clock.now() - start;
  fleet.forEach((i) => i.breaker.off('stateChange', () => {}));
  return { openedAfterMs, calls };
}

test.each([
  [20, 1], [20, 2], [20, 3], [20, 4], [33, 1], [33, 2], [40, 1],
])('%i %% failures (threshold 50 %%), 50 instances starting together, seed %i: the circuit stays CLOSED', async (percent, seed) => {
  const { openedAfterMs, calls } = await runFleet(seed, percent / 100, 30);
  expect(calls).toBeGreaterThan(5_000);
  expect(openedAfterMs).toBeUndefined();
});

test.each([[1], [2]])('an outage (every call fails), seed %i: the circuit opens with the first flushes, within flushMs + 1 s', async (seed) => {
  const { openedAfterMs } = await runFleet(seed, 1, 30);
  expect(openedAfterMs).toBeDefined();
  expect(openedAfterMs!).toBeLessThanOrEqual(6_000);
});

test('70 % failures (a partial outage above the threshold): opens once its buckets settle, within 15 s, not before 6 s', async () => {
  const { openedAfterMs } = await runFleet(1, 0.7, 30);
  expect(openedAfterMs).toBeDefined();
  expect(openedAfterMs!).toBeGreaterThanOrEqual(6_000); // bucket (6 s) ended + every instance flushed it
  expect(openedAfterMs!).toBeLessThanOrEqual(15_000);
});
