import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CircuitOpenError } from '../../../lib/runtime';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { fail, FakeClock, instance, outcome, readItem, storedCount, succeed } from './harness';

/*
 * An operator overrides a circuit through its item's `ctl` attribute (the README's one-liner does exactly
 * this UpdateItem); every instance obeys within one refreshMs, an instance that is rejecting included.
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

/** The README's one-liner, through the SDK: `SET ctl = :c`, or `REMOVE ctl` to hand the circuit back. */
async function control(value: string | undefined): Promise<void> {
  const client = db.client();
  try {
    await client.send(new UpdateItemCommand({
      TableName: table,
      Key: { pk: { S: 'payments' } },
      ...(value ? { UpdateExpression: 'SET ctl = :c', ExpressionAttributeValues: { ':c': { S: value } } } : { UpdateExpression: 'REMOVE ctl' }),
    }));
  } finally {
    client.destroy();
  }
}

test('force-open: every instance rejects within one refresh (plus the call carrying it), with reason forced-open', async () => {
  const fleet = [instance(db, table, clock), instance(db, table, clock)];
  for (const i of fleet) expect(await outcome(i.breaker, succeed)).toBe('ok');
  await control('force-open');
  clock.advance(1_000); // refreshMs of the harness
  // A CLOSED instance overlaps its due refresh with the call that triggered it: that one call may still run.
  let reached = 0;
  for (const i of fleet) await i.breaker.execute(async () => ++reached).catch(() => undefined);
  expect(reached).toBeLessThanOrEqual(fleet.length);
  reached = 0;
  for (let n = 0; n < 10; n++) {
    for (const i of fleet) {
      const error = await i.breaker.execute(async () => ++reached).catch((e) => e);
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error.reason).toBe('forced-open');
    }
    clock.advance(100);
  }
  expect(reached).toBe(0);

  await control(undefined);
  clock.advance(1_000);
  for (const i of fleet) expect(await outcome(i.breaker, succeed)).toBe('ok');
});

test('force-closed reaches instances that are rejecting an OPEN circuit within one refresh; it counts nothing', async () => {
  const fleet = [instance(db, table, clock), instance(db, table, clock)];
  for (let n = 0; n < 4; n++) await outcome(fleet[0].breaker, fail);
  for (const i of fleet) expect(await outcome(i.breaker, succeed)).toBe('rejected'); // OPEN for 30 s
  await control('force-closed');
  clock.advance(1_000);
  for (const i of fleet) {
    expect(await outcome(i.breaker, succeed)).toBe('ok');
    for (let n = 0; n < 5; n++) expect(await outcome(i.breaker, fail)).toBe('failed'); // admitted, never re-opened
  }
  const item = await readItem(db, table);
  expect(item.st).toEqual({ S: 'OPEN' }); // the stored state waits for the override to end
  expect(storedCount(item, 's')).toBe(0);
});

test('disabled (metrics only): every call is admitted and counted, but the circuit never opens', async () => {
  const i = instance(db, table, clock);
  expect(await outcome(i.breaker, succeed)).toBe('ok');
  await control('disabled');
  clock.advance(1_000);
  for (let n = 0; n < 12; n++) expect(await outcome(i.breaker, fail)).toBe('failed');
  const item = await readItem(db, table);
  expect(item.st).toEqual({ S: 'CLOSED' });
  expect(storedCount(item, 'f')).toBeGreaterThanOrEqual(10);

  await control(undefined); // handed back: the counted failures now open it
  clock.advance(1_000);
  const after = [];
  for (let n = 0; n < 3; n++) after.push(await outcome(i.breaker, fail));
  expect(after).toContain('rejected');
});
