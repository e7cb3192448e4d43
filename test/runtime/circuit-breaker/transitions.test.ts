import { getEventListeners } from 'node:events';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BREAKER_METRIC, BREAKER_TTL_ATTRIBUTE, METRIC_NAMESPACE } from '../../../lib/contract';
import { CallTimeoutError, CircuitOpenError } from '../../../lib/runtime';
import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { eventually, fail, FakeClock, instance, metricCount, outcome, probeLeased, readItem, storedCount, succeed } from './harness';

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

/** Drives one instance to OPEN: minimumCalls (4) failures, each flushed at once. */
async function tripOpen(i: ReturnType<typeof instance>): Promise<void> {
  for (let n = 0; n < 4; n++) expect(await outcome(i.breaker, fail)).toBe('failed');
}

describe('CLOSED', () => {
  test('a new circuit is CLOSED and lets calls through', async () => {
    const i = instance(db, table, clock);
    expect(await i.breaker.execute(succeed)).toBe('ok');
    expect(await i.breaker.state()).toBe('CLOSED');
  });

  test('stays CLOSED below minimumCalls even when every call fails', async () => {
    const i = instance(db, table, clock);
    for (let n = 0; n < 3; n++) expect(await outcome(i.breaker, fail)).toBe('failed');
    expect(await i.breaker.state()).toBe('CLOSED');
    expect(storedCount(await readItem(db, table), 'f')).toBe(3);
  });

  test('stays CLOSED while the failure rate is under the threshold', async () => {
    const i = instance(db, table, clock, { flushAfterFailures: 100 });
    for (let n = 0; n < 20; n++) await outcome(i.breaker, n % 4 === 0 ? fail : succeed); // 25 %
    clock.advance(1_000);
    await i.breaker.execute(succeed); // refresh due: flushes the 20 pending outcomes first
    expect(await i.breaker.state()).toBe('CLOSED');
    const item = await readItem(db, table);
    expect(storedCount(item, 'f')).toBe(5);
    expect(storedCount(item, 's')).toBe(15); // the 21st call is still counted locally
  });

  test('errors that isFailure rejects count as successes and are rethrown', async () => {
    const i = instance(db, table, clock, { isFailure: (e) => (e as Error).message !== 'not found', flushAfterFailures: 1 });
    const notFound = async (): Promise<string> => {
      throw new Error('not found');
    };
    for (let n = 0; n < 6; n++) await expect(i.breaker.execute(notFound)).rejects.toThrow('not found');
    clock.advance(1_000);
    await i.breaker.execute(succeed);
    expect(await i.breaker.state()).toBe('CLOSED');
    expect(storedCount(await readItem(db, table), 'f')).toBe(0);
  });

  test('failures outside the window are forgotten and their buckets removed', async () => {
    const i = instance(db, table, clock);
    for (let n = 0; n < 3; n++) await outcome(i.breaker, fail);
    clock.advance(61_000);
    await outcome(i.breaker, fail); // 4th failure, but the first 3 left the window
    expect(await i.breaker.state()).toBe('CLOSED');
    clock.advance(1_000);
    await outcome(i.breaker, fail); // this flush removes the expired buckets
    const item = await readItem(db, table);
    expect(storedCount(item, 'f')).toBe(2);
  });
});

describe('CLOSED -> OPEN', () => {
  test('opens at the failure-rate threshold, publishes CircuitOpened as EMF', async () => {
    const i = instance(db, table, clock);
    await tripOpen(i);
    expect(await i.breaker.state()).toBe('OPEN');
    expect(i.changes.map((c) => [c.from, c.to, c.byThisInstance])).toEqual([['CLOSED', 'OPEN', true]]);
    const opened = i.metrics.find((m) => m[BREAKER_METRIC.OPENED] === 1)!;
    expect(opened).toMatchObject({
      Circuit: 'payments',
      FunctionName: expect.any(String),
      _aws: { CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['FunctionName', 'Circuit'], ['FunctionName']] }] },
    });
  });

  test('a partial failure rate is flushed on flushMs only, however high the instance\'s own rate: writes do not grow with errors', async () => {
    const i = instance(db, table, clock, { flushAfterFailures: 2, flushMs: 60_000, refreshMs: 60_000 });
    await i.breaker.execute(succeed); // first call reads the state; its success stays pending
    i.requests.reset();
    for (const fn of [fail, fail, succeed, fail, fail, fail, succeed, fail]) await outcome(i.breaker, fn);
    expect(i.requests.total).toBe(0); // 6 of 9 pending calls failed: no early flush, no biased batch in the store
    clock.advance(60_000);
    await outcome(i.breaker, succeed);
    expect(i.requests.total).toBeGreaterThan(0);
  });

  test('an outage (nearly every pending call failed) flushes at once and opens without waiting for settled buckets', async () => {
    const i = instance(db, table, clock, { flushAfterFailures: 4, flushMs: 60_000, refreshMs: 60_000 });
    await outcome(i.breaker, fail); // first call reads the state; its failure stays pending
    i.requests.reset();
    for (let n = 0; n < 2; n++) await outcome(i.breaker, fail);
    expect(i.requests.total).toBe(0);
    await outcome(i.breaker, fail); // 4 pending failures, no success: flush now (minimumCalls 4), and open
    expect(i.requests.total).toBeGreaterThan(0);
    expect(i.breaker.cachedState).toBe('OPEN');
  });

  test('FunctionName dimension comes from AWS_LAMBDA_FUNCTION_NAME', async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'checkout-fn';
    try {
      const i = instance(db, table, clock);
      await tripOpen(i);
      expect(i.metrics.find((m) => m[BREAKER_METRIC.OPENED])!.FunctionName).toBe('checkout-fn');
    } finally {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    }
  });

  test('opens on the slow-call rate', async () => {
    const i = instance(db, table, clock, { slowCallMs: 500, slowCallRateThreshold: 50, flushMs: 0 });
    const slow = async (): Promise<string> => {
      clock.advance(600);
      return 'late';
    };
    for (let n = 0; n < 4; n++) expect(await i.breaker.execute(slow)).toBe('late');
    expect(await i.breaker.state()).toBe('CLOSED'); // a rate (not an outage) is judged on settled buckets
    clock.advance(6_000); // the buckets of those calls have ended: every instance has flushed them
    await i.breaker.execute(succeed);
    expect(await i.breaker.state()).toBe('OPEN');
    expect(i.changes.map((c) => [c.from, c.to, c.byThisInstance])).toEqual([['CLOSED', 'OPEN', true]]);
  });

  test('another instance adopts OPEN on its next refresh, which overlaps the call it was due on', async () => {
    const a = instance(db, table, clock);
    const b = instance(db, table, clock);
    await b.breaker.execute(succeed);
    await tripOpen(a);
    clock.advance(1_000); // b's refresh is due: it runs alongside this call
    expect(await outcome(b.breaker, succeed)).toBe('ok');
    expect(b.changes.map((c) => [c.from, c.to, c.byThisInstance])).toEqual([['CLOSED', 'OPEN', false]]);
    expect(await outcome(b.breaker, succeed)).toBe('rejected');
    expect(metricCount(b.metrics, BREAKER_METRIC.OPENED)).toBe(0);
  });

  test('fail-closed refreshes before admitting: the call that was due is rejected', async () => {
    const a = instance(db, table, clock);
    const b = instance(db, table, clock, { onStoreFailure: 'fail-closed' });
    await b.breaker.execute(succeed);
    await tripOpen(a);
    clock.advance(1_000);
    expect(await outcome(b.breaker, succeed)).toBe('rejected');
  });
});

describe('OPEN', () => {
  test('rejects locally until openUntil, reading the item at most once per refreshMs (so an override reaches it)', async () => {
    const i = instance(db, table, clock);
    await tripOpen(i);
    i.requests.reset();
    let called = 0;
    for (let n = 0; n < 200; n++) {
      clock.advance(100); // 20 s of traffic, all inside the 30 s open period
      const error = await i.breaker.execute(async () => ++called).catch((e) => e);
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error).toMatchObject({ circuit: 'payments', state: 'OPEN', reason: 'open' });
    }
    expect(called).toBe(0);
    expect(i.requests.total).toBeLessThanOrEqual(20); // 20 s at refreshMs 1 s, whatever the call rate
    expect(i.requests.total).toBeGreaterThan(0);
    expect(metricCount(i.metrics, BREAKER_METRIC.REJECTED)).toBeGreaterThan(0);
  });

  test('failed and rejected calls use the fallback when one is given', async () => {
    const seen: unknown[] = [];
    const i = instance(db, table, clock, { fallback: (e) => (seen.push(e), 'cached') });
    for (let n = 0; n < 4; n++) expect(await i.breaker.execute(fail)).toBe('cached');
    expect(await i.breaker.state()).toBe('OPEN');
    expect(await i.breaker.execute(succeed)).toBe('cached');
    expect(seen.map((e) => (e as Error).name)).toEqual(['Error', 'Error', 'Error', 'Error', 'CircuitOpenError']);
    expect(await i.breaker.execute(succeed, { fallback: () => 'per-call' })).toBe('per-call');
  });

  test('reports HALF_OPEN once the open period has ended', async () => {
    const i = instance(db, table, clock);
    await tripOpen(i);
    clock.advance(30_000);
    expect(await i.breaker.state()).toBe('HALF_OPEN');
  });
});

describe('HALF_OPEN', () => {
  test('OPEN -> HALF_OPEN -> CLOSED after halfOpenProbes successes', async () => {
    const i = instance(db, table, clock);
    await tripOpen(i);
    clock.advance(30_000);
    await i.breaker.execute(succeed);
    expect((await readItem(db, table)).st.S).toBe('HALF_OPEN');
    await i.breaker.execute(succeed);
    expect(await i.breaker.state()).toBe('CLOSED');
    expect(i.changes.map((c) => c.to)).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
    expect(metricCount(i.metrics, BREAKER_METRIC.CLOSED)).toBe(1);
    // counters of the old epoch no longer count: one failure does not re-open
    expect(await outcome(i.breaker, fail)).toBe('failed');
    expect(await i.breaker.state()).toBe('CLOSED');
  });

  test('a failed probe re-opens with a doubled open period, capped at maxOpenMs', async () => {
    const i = instance(db, table, clock, { maxOpenMs: 100_000 });
    await tripOpen(i);
    const openedAt = [] as number[];
    const periods = [] as number[];
    for (let round = 0; round < 4; round++) {
      const item = await readItem(db, table);
      periods.push(Number(item.ou.N) - Number(item.ts.N));
      openedAt.push(Number(item.ts.N));
      clock.advance(Number(item.ou.N) - clock.now());
      expect(await outcome(i.breaker, fail)).toBe('failed'); // the probe fails
      expect(await i.breaker.state()).toBe('OPEN');
    }
    expect(periods).toEqual([30_000, 60_000, 100_000, 100_000]);
    expect(metricCount(i.metrics, BREAKER_METRIC.OPENED)).toBe(5);
  });

  test('jittered open periods: each lasts openMs to openMs + openJitterPercent, and they differ', async () => {
    const periods: number[] = [];
    for (let circuit = 0; circuit < 8; circuit++) {
      const i = instance(db, table, clock, { name: `jitter-${circuit}`, openJitterPercent: 20 });
      await tripOpen(i);
      const item = await readItem(db, table, `jitter-${circuit}`);
      periods.push(Number(item.ou.N) - Number(item.ts.N));
    }
    for (const p of periods) expect(p >= 30_000 && p <= 36_000).toBe(true);
    expect(new Set(periods).size).toBeGreaterThan(1);
  });

  test('with jitter, instances end their rejections at different points of a spread of at most 1 s', async () => {
    const fleet = Array.from({ length: 8 }, () => instance(db, table, clock, { openJitterPercent: 20, refreshMs: 60_000 }));
    await tripOpen(fleet[0]);
    for (const i of fleet.slice(1)) expect(await outcome(i.breaker, succeed)).toBe('rejected'); // each learns OPEN
    const item = await readItem(db, table);
    const openUntil = Number(item.ou.N);
    const retryAts: number[] = [];
    for (const i of fleet) {
      const error = await i.breaker.execute(succeed).catch((e: CircuitOpenError) => e);
      expect(error).toBeInstanceOf(CircuitOpenError);
      retryAts.push((error as CircuitOpenError).retryAt!);
    }
    for (const at of retryAts) expect(at >= openUntil && at <= openUntil + 1_000).toBe(true);
    expect(new Set(retryAts).size).toBeGreaterThan(1);
  });

  test('after a close, the backoff starts again from openMs', async () => {
    const i = instance(db, table, clock, { halfOpenProbes: 1 });
    await tripOpen(i);
    clock.advance(30_000);
    await outcome(i.breaker, fail); // re-open for 60 s
    clock.advance(60_000);
    await i.breaker.execute(succeed); // closes
    expect(await i.breaker.state()).toBe('CLOSED');
    clock.advance(1_000);
    await tripOpen(i);
    const item = await readItem(db, table);
    expect(Number(item.ou.N) - Number(item.ts.N)).toBe(30_000);
  });

  test('calls beyond the probe budget are rejected with reason half-open', async () => {
    const i = instance(db, table, clock, { halfOpenProbes: 1 });
    await tripOpen(i);
    clock.advance(30_000);
    let release!: () => void;
    const probe = i.breaker.execute(() => new Promise<string>((r) => (release = () => r('probed'))));
    await eventually(() => probeLeased(db, table), 'the probe holds its permit');
    const error = await i.breaker.execute(succeed).catch((e) => e);
    expect(error).toMatchObject({ name: 'CircuitOpenError', reason: 'half-open', state: 'HALF_OPEN' });
    release();
    expect(await probe).toBe('probed');
    expect(await i.breaker.state()).toBe('CLOSED');
  });

  test('a half-open circuit whose probes all succeeded but was never closed (closer crashed) gets closed', async () => {
    const client = db.client();
    await client.send(new PutItemCommand({
      TableName: table,
      Item: {
        pk: { S: 'payments' }, st: { S: 'HALF_OPEN' }, ver: { N: '3' }, ou: { N: String(clock.now() - 1) }, oc: { N: '1' },
        lx0: { N: String(clock.now() - 1) }, lo0: { S: 'gone' }, ld0: { N: '1' },
        lx1: { N: String(clock.now() + 9_000) }, lo1: { S: 'gone' }, ld1: { N: '1' },
      },
    }));
    client.destroy();
    const i = instance(db, table, clock);
    expect(await i.breaker.execute(succeed)).toBe('ok');
    const item = await readItem(db, table);
    expect(item.st.S).toBe('CLOSED');
    expect(item.ver.N).toBe('4');
    expect(item.ld0).toBeUndefined();
  });
});

describe('events', () => {
  test('open, halfOpen, close, reject and stateChange fire in order; off() unsubscribes; a throwing listener is harmless', async () => {
    const i = instance(db, table, clock, { halfOpenProbes: 1 });
    const seen: string[] = [];
    i.breaker
      .on('open', (c) => seen.push(`open v${c.version}`))
      .on('halfOpen', () => seen.push('halfOpen'))
      .on('close', (c) => seen.push(`close v${c.version}`))
      .on('stateChange', () => {
        throw new Error('listener bug');
      });
    const onReject = (e: CircuitOpenError): void => {
      seen.push(`reject ${e.reason}`);
    };
    i.breaker.on('reject', onReject);
    await tripOpen(i);
    await outcome(i.breaker, succeed);
    i.breaker.off('reject', onReject);
    await outcome(i.breaker, succeed);
    clock.advance(30_000);
    expect(await i.breaker.execute(succeed)).toBe('ok');
    expect(seen).toEqual(['open v1', 'reject open', 'halfOpen', 'close v2']);
    expect(i.breaker.cachedState).toBe('CLOSED');
  });
});

describe('item expiry (TTL)', () => {
  test('every write moves the expiry 7 days past the last activity, and past openUntil when OPEN', async () => {
    const i = instance(db, table, clock);
    await outcome(i.breaker, fail);
    const week = 7 * 86_400;
    expect(Number((await readItem(db, table))[BREAKER_TTL_ATTRIBUTE].N)).toBe(Math.ceil(clock.now() / 1000) + week);
    clock.advance(1_000);
    for (let n = 0; n < 3; n++) await outcome(i.breaker, fail);
    const item = await readItem(db, table);
    expect(item.st.S).toBe('OPEN');
    expect(Number(item[BREAKER_TTL_ATTRIBUTE].N)).toBe(Math.ceil(Number(item.ou.N) / 1000) + week);
  });
});

describe('call timeout', () => {
  test('without callTimeoutMs the signal never fires, and listeners left on it stay below Node\'s 10-listener warning', async () => {
    const i = instance(db, table, clock, { refreshMs: 60_000, flushMs: 60_000, flushAfterFailures: 1_000 });
    const signals = new Set<AbortSignal>();
    for (let n = 0; n < 100; n++) {
      const aborted = await i.breaker.execute(async (signal) => {
        signal.addEventListener('abort', () => undefined); // never removed, as careless callers do
        signals.add(signal);
        return signal.aborted;
      });
      expect(aborted).toBe(false);
    }
    const mostListeners = Math.max(...[...signals].map((signal) => getEventListeners(signal, 'abort').length));
    expect(mostListeners).toBeLessThanOrEqual(10);
    expect(signals.size).toBeGreaterThan(1); // recycled, so old ones (and their listeners) can be collected
  });

  test('aborts the signal, throws CallTimeoutError and counts a failure', async () => {
    const i = instance(db, table, clock, { callTimeoutMs: 20 });
    let aborted: unknown;
    const hang = (signal: AbortSignal): Promise<string> => new Promise((_, reject) => {
      signal.addEventListener('abort', () => {
        aborted = signal.reason;
        reject(signal.reason);
      });
    });
    const error = await i.breaker.execute(hang).catch((e) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(aborted).toBe(error);
    expect(storedCount(await readItem(db, table), 'f')).toBe(1);
  });
});

describe('what counts', () => {
  test('isResultFailure: a returned 5xx counts as a failure (and opens), the value is still returned', async () => {
    const i = instance(db, table, clock, { isResultFailure: (v) => (v as { statusCode: number }).statusCode >= 500 });
    const answers: unknown[] = [];
    for (let n = 0; n < 4; n++) answers.push(await i.breaker.execute(async () => ({ statusCode: 503 })));
    expect(answers).toEqual(Array(4).fill({ statusCode: 503 }));
    expect(i.breaker.cachedState).toBe('OPEN');
    expect(storedCount(await readItem(db, table), 'f')).toBe(4);
  });

  test('ignore: errors that are neither success nor failure are rethrown and not counted', async () => {
    const clientError = Object.assign(new Error('bad request'), { statusCode: 400 });
    const i = instance(db, table, clock, { ignore: (e) => (e as { statusCode?: number }).statusCode === 400 });
    await i.breaker.execute(succeed);
    for (let n = 0; n < 10; n++) {
      await expect(i.breaker.execute(async () => { throw clientError; })).rejects.toBe(clientError);
    }
    clock.advance(1_000);
    await i.breaker.execute(succeed);
    expect(i.breaker.cachedState).toBe('CLOSED');
    const item = await readItem(db, table);
    expect(storedCount(item, 'f')).toBe(0);
    expect(storedCount(item, 's')).toBeGreaterThanOrEqual(1);
  });

  test('a predicate that throws does not fail the call: the outcome counts as it would without it', async () => {
    const i = instance(db, table, clock, { isResultFailure: () => { throw new Error('bug'); }, ignore: () => { throw new Error('bug'); } });
    expect(await i.breaker.execute(succeed)).toBe('ok');
    expect(await outcome(i.breaker, fail)).toBe('failed');
  });
});

test('each flush publishes the fleet-wide state gauge and the settled failure rate (EMF, one line)', async () => {
  const i = instance(db, table, clock, { minimumCalls: 100 });
  for (const fn of [succeed, succeed, succeed, fail]) await outcome(i.breaker, fn);
  clock.advance(7_000); // their bucket has ended and been flushed: settled
  await outcome(i.breaker, succeed);
  const line = i.metrics.filter((m) => 'CircuitState' in m).at(-1)!;
  expect(line).toMatchObject({ Circuit: 'payments', CircuitState: 0, CircuitFailureRate: 25 });
  expect(line).not.toHaveProperty('CircuitSlowCallRate'); // slow calls are not tracked here
  expect((line._aws as { CloudWatchMetrics: Array<{ Metrics: unknown[] }> }).CloudWatchMetrics[0].Metrics)
    .toEqual([{ Name: 'CircuitState', Unit: 'None' }, { Name: 'CircuitFailureRate', Unit: 'Percent' }]);
});
