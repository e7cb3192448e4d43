import { createServer, type Server, type Socket } from 'node:net';
import { BreakerStoreError, CircuitBreaker, CircuitOpenError } from '../../../lib/runtime';
import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { fail, FakeClock, instance, outcome, readItem, storedCount, succeed } from './harness';

let db: LocalDynamo;
let table: string;
let clock: FakeClock;

beforeEach(async () => {
  db = await startDynalite(); // each test may kill its own server
  table = await db.createBreakerTable();
  clock = new FakeClock();
});
afterEach(() => db.stop());

describe('store down (server stopped mid-run)', () => {
  test('fail-open (default): calls keep running, counts are kept for later', async () => {
    const i = instance(db, table, clock, { flushAfterFailures: 100 });
    const storeErrors: unknown[] = [];
    i.breaker.on('storeError', (e) => storeErrors.push(e));
    expect(await i.breaker.execute(succeed)).toBe('ok');
    await db.stop();
    clock.advance(1_000); // refresh due: the store is needed and fails
    let ran = 0;
    for (let n = 0; n < 10; n++) {
      clock.advance(100);
      expect(await i.breaker.execute(async () => `ok ${++ran}`)).toBe(`ok ${ran}`);
    }
    expect(ran).toBe(10);
    expect(storeErrors.length).toBeGreaterThan(0);
    await expect(i.breaker.state()).rejects.toThrow(BreakerStoreError);
  });

  test('fail-closed: calls are rejected with reason store-unavailable, the function never runs', async () => {
    const i = instance(db, table, clock, { onStoreFailure: 'fail-closed' });
    expect(await i.breaker.execute(succeed)).toBe('ok');
    await db.stop();
    clock.advance(1_000);
    let ran = 0;
    for (let n = 0; n < 5; n++) {
      const error = await i.breaker.execute(async () => ++ran).catch((e) => e);
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error.reason).toBe('store-unavailable');
    }
    expect(ran).toBe(0);
  });

  test('a failing store is not asked again on every call: the guard backs off', async () => {
    const i = instance(db, table, clock, { refreshMs: 0, flushMs: 0 }); // would hit the store on every call
    await i.breaker.execute(succeed);
    await db.stop();
    i.requests.reset();
    await i.breaker.execute(succeed); // one failed request, then the guard
    const afterFirst = i.requests.total;
    expect(afterFirst).toBeGreaterThan(0);
    for (let n = 0; n < 50; n++) {
      clock.advance(10); // 500 ms: inside the first 1 s pause
      await i.breaker.execute(succeed);
    }
    expect(i.requests.total).toBe(afterFirst);
    clock.advance(600);
    await i.breaker.execute(succeed); // pause over: one more try
    expect(i.requests.total).toBeGreaterThan(afterFirst);
  });

  test('an OPEN circuit keeps rejecting while the store is down', async () => {
    const i = instance(db, table, clock);
    for (let n = 0; n < 4; n++) await outcome(i.breaker, fail);
    await db.stop();
    clock.advance(10_000);
    expect(await outcome(i.breaker, succeed)).toBe('rejected');
  });
});

describe('store down during an incident (fail-open): the instance falls back to its own breaker, never to admit-all', () => {
  test('open period over when the store goes: no probe of its own before maxOpenMs (local-open), then one at a time; says so in a metric', async () => {
    const i = instance(db, table, clock);
    for (let n = 0; n < 4; n++) await outcome(i.breaker, fail);
    expect(i.breaker.cachedState).toBe('OPEN');
    clock.advance(30_000); // the open period ends: the next call would probe through the store
    await db.stop();
    let reached = 0;
    const reasons = new Set<string>();
    for (let n = 0; n < 200; n++) {
      clock.advance(25); // 5 s of traffic
      const error = await i.breaker.execute(async () => { reached++; throw new Error('still down'); }).catch((e) => e);
      if (error instanceof CircuitOpenError) reasons.add(error.reason);
    }
    expect(reached).toBe(0); // N instances probing on their own would be N probes; before the local breaker: all 200
    expect([...reasons]).toEqual(['local-open']);
    expect(i.metrics.filter((m) => 'CircuitDegraded' in m)).toHaveLength(1);

    clock.advance(300_000); // maxOpenMs without the store: this instance probes on its own, one call at a time
    for (let n = 0; n < 20; n++) {
      clock.advance(25);
      await i.breaker.execute(async () => { reached++; throw new Error('still down'); }).catch(() => undefined);
    }
    expect(reached).toBe(1); // the probe failed: open again
  });

  test('CLOSED when the store goes: the local breaker opens on this instance\'s own failure rate', async () => {
    const i = instance(db, table, clock, { flushAfterFailures: 100 });
    expect(await i.breaker.execute(succeed)).toBe('ok');
    await db.stop();
    clock.advance(1_000);
    const outcomes: string[] = [];
    for (let n = 0; n < 20; n++) {
      clock.advance(100);
      outcomes.push(await outcome(i.breaker, fail));
    }
    // minimumCalls (4) failures reach the downstream, then the instance rejects until openMs passes.
    expect(outcomes.filter((o) => o === 'failed').length).toBeLessThanOrEqual(5);
    expect(outcomes.slice(-10)).toEqual(Array(10).fill('rejected'));
  });

  test('once the store answers again the shared state rules: the local breaker is dropped', async () => {
    const server = await startDynalite();
    const shared = await server.createBreakerTable();
    const i = instance(server, shared, clock);
    expect(await i.breaker.execute(succeed)).toBe('ok');
    await server.stop();
    clock.advance(1_000);
    for (let n = 0; n < 6; n++) await outcome(i.breaker, fail); // local breaker opens
    expect(await outcome(i.breaker, succeed)).toBe('rejected');
    // A new client of the real table stands in for the store coming back: same item, healthy answers.
    const back = instance(db, table, clock);
    expect(await back.breaker.execute(succeed)).toBe('ok');
    expect(back.metrics.filter((m) => 'CircuitDegraded' in m)).toHaveLength(0);
  });
});

describe('store recovers', () => {
  test('outcomes counted during a failed flush are flushed once the store answers again', async () => {
    const i = instance(db, table, clock, { flushAfterFailures: 1 });
    // a table that does not exist yet fails every request, like an outage
    const missing = instance(db, 'not-there-yet', clock, { flushAfterFailures: 1 });
    for (let n = 0; n < 3; n++) await outcome(missing.breaker, succeed);
    await db.createBreakerTable('not-there-yet');
    clock.advance(31_000); // past the guard
    await outcome(missing.breaker, fail); // flushes everything kept so far
    const item = await readItem(db, 'not-there-yet');
    expect(storedCount(item, 's')).toBe(3);
    expect(storedCount(item, 'f')).toBe(1);
    expect(await i.breaker.state()).toBe('CLOSED');
  });
});

describe('store slow (accepts connections, never answers)', () => {
  let blackHole: Server;
  let endpoint: string;
  const sockets: Socket[] = [];
  let closedByClient = 0;

  beforeEach(async () => {
    blackHole = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read (and drop) the request, so the client's hang-up is noticed
      socket.on('close', () => closedByClient++);
    });
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
    closedByClient = 0;
  });
  afterEach(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => blackHole.close(r));
  });

  test('fail-open: the store request is abandoned at storeTimeoutMs and the call runs', async () => {
    const client = db.client({ endpoint });
    const breaker = new CircuitBreaker({ name: 'payments', tableName: table, client, storeTimeoutMs: 50, metrics: false });
    expect(await breaker.execute(succeed)).toBe('ok');
    // the server never answered: only our deadline can have ended the request
    await waitFor(() => closedByClient > 0);
    expect(closedByClient).toBeGreaterThan(0);
  });

  test('fail-closed: rejected once the deadline passes', async () => {
    const client = db.client({ endpoint });
    const breaker = new CircuitBreaker({ name: 'payments', tableName: table, client, storeTimeoutMs: 50, onStoreFailure: 'fail-closed', metrics: false });
    await expect(breaker.execute(succeed)).rejects.toMatchObject({ name: 'CircuitOpenError', reason: 'store-unavailable' });
  });

  test('the default client (no client option) has short timeouts too', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
      RESILIENT_BREAKER_TABLE: table,
    });
    try {
      const breaker = new CircuitBreaker({ name: 'payments', storeTimeoutMs: 50, metrics: false });
      expect(await breaker.execute(succeed)).toBe('ok');
      await waitFor(() => sockets.length > 0);
      expect(sockets.length).toBeGreaterThan(0); // it did go to the configured endpoint
    } finally {
      process.env = saved;
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let n = 0; n < 100 && !condition(); n++) await new Promise((r) => setTimeout(r, 10));
}
