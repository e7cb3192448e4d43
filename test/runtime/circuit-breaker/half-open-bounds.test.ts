import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { eventually, fail, FakeClock, instance, type Instance, outcome, readItem } from './harness';

let db: LocalDynamo;
let table: string;

beforeAll(async () => {
  db = await startDynalite();
});
// requests still on their way (retries after a throttle, late replies) must land before the server stops
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 2000));
  await db.stop();
});
beforeEach(async () => {
  table = await db.createBreakerTable();
});

/** An instance's clock: true time plus a fixed offset. */
class SkewedClock extends FakeClock {
  constructor(private readonly base: FakeClock, private readonly offset: number) {
    super();
  }
  override now(): number {
    return this.base.now() + this.offset;
  }
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PROBES = 3;

test.each([1, 2, 3])('store throttling 30 %% of requests and clocks ±1 s apart: never more than P probes at once (seed %i)', async (seed) => {
  const rand = random(seed);
  const clock = new FakeClock();
  const fleet: Instance[] = Array.from({ length: 20 }, () => instance(db, table, new SkewedClock(clock, Math.round(rand() * 2_000 - 1_000)),
    { halfOpenProbes: PROBES, flushAfterFailures: 1 }, { throttle: () => rand() < 0.3 }));

  // open it: one instance's failures (retried until a flush gets through the throttling)
  for (let n = 0; n < 50 && (await readItem(db, table)).st?.S !== 'OPEN'; n++) {
    clock.advance(100);
    await outcome(fleet[0].breaker, fail);
  }
  expect((await readItem(db, table)).st?.S).toBe('OPEN');
  // the fleet serves through the incident: every instance has seen the circuit open (its rejections)
  for (const i of fleet) {
    for (let n = 0; n < 10 && i.breaker.cachedState !== 'OPEN'; n++) {
      clock.advance(200);
      await outcome(i.breaker, fail);
    }
  }
  clock.advance(32_000); // past the open period on every clock (openMs 30 s, skew ±1 s)

  // The downstream is still down and hangs: every admitted call is a probe that stays running.
  let running = 0;
  let mostAtOnce = 0;
  let admitted = 0;
  const hang = () => new Promise<string>(() => {
    admitted++;
    mostAtOnce = Math.max(mostAtOnce, ++running);
  });
  const context = { getRemainingTimeInMillis: () => 20_000 };
  const calls: Array<Promise<unknown>> = [];
  for (let round = 0; round < 40; round++) {
    clock.advance(100); // 4 s of traffic: inside the probes' 20 s leases, past every store guard pause
    for (const i of fleet) calls.push(i.breaker.execute(hang, context).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 5));
  }
  await eventually(() => admitted > 0, 'a probe gets through the throttled store');
  expect(mostAtOnce).toBeLessThanOrEqual(PROBES); // before: every instance whose permit request was throttled ran the call
}, 30_000);
