import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { FakeClock, instance, readItem, storedCount, succeed } from './harness';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(() => db.stop());

test('steady CLOSED traffic costs at most 0.02 DynamoDB requests per call with the default intervals', async () => {
  const table = await db.createBreakerTable();
  const clock = new FakeClock();
  // default refreshMs / flushMs / flushAfterFailures, as shipped
  const defaults = { refreshMs: undefined, flushMs: undefined, flushAfterFailures: undefined, minimumCalls: 10 };
  const fleet = Array.from({ length: 5 }, () => instance(db, table, clock, defaults));
  const perInstanceRate = 20; // calls per second per instance
  const seconds = 50; // inside the 60 s window, so no counter has been removed yet
  let calls = 0;
  for (let tick = 0; tick < seconds * perInstanceRate; tick++) {
    clock.advance(1_000 / perInstanceRate);
    for (const i of fleet) {
      await i.breaker.execute(succeed);
      calls++;
    }
  }
  const requests = fleet.reduce((sum, i) => sum + i.requests.total, 0);
  expect(requests / calls).toBeLessThanOrEqual(0.02);
  expect(requests).toBeGreaterThan(0); // it does talk to the store

  // nothing was lost: after one more flush per instance, the stored successes are every call but the last one of each
  clock.advance(5_000);
  for (const i of fleet) {
    await i.breaker.execute(succeed);
    calls++;
  }
  expect(storedCount(await readItem(db, table), 's')).toBe(calls - fleet.length);
});
