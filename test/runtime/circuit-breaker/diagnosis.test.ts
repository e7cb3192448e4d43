import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CircuitBreaker } from '../../../lib/runtime';
import { sharedDynamoDbClient } from '../../../lib/runtime/circuit-breaker/shared-client';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { fail, FakeClock, instance, outcome } from './harness';

/*
 * A misconfigured breaker must be loud: a store that refuses every request (denied access, a missing table)
 * leaves the circuit unable to open, so the breaker logs the fix once and counts every failure in a metric.
 */

let db: LocalDynamo;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => db.stop());

let errors: jest.SpyInstance;
let warnings: jest.SpyInstance;
beforeEach(() => {
  errors = jest.spyOn(console, 'error').mockImplementation(() => {});
  warnings = jest.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

/** A client whose every request DynamoDB refuses the way IAM does when the grant misses the item. */
function deniedClient(): DynamoDBClient {
  const denied = Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/fn is not authorized to perform: dynamodb:UpdateItem'), { name: 'AccessDeniedException' });
  return { send: async () => { throw denied; }, destroy: () => {} } as unknown as DynamoDBClient;
}

const storeErrorLines = (metrics: Array<Record<string, unknown>>) => metrics.filter((m) => 'CircuitStoreErrors' in m);

test('AccessDenied on every request: one error line naming the fix, and a CircuitStoreErrors metric', async () => {
  const clock = new FakeClock();
  const { breaker, metrics } = instance(db, 'not-used', clock, { client: deniedClient() });
  const outcomes: string[] = [];
  for (let i = 0; i < 30; i++) {
    outcomes.push(await outcome(breaker, fail));
    clock.advance(2_000); // past the store guard's pause, so the breaker asks the store again
  }
  // fail-open without a store: the instance's own breaker still opens on the failures it sees.
  expect(outcomes.slice(0, 4)).toEqual(['failed', 'failed', 'failed', 'failed']);
  expect(outcomes.filter((o) => o === 'failed').length).toBeLessThan(10);
  expect(errors).toHaveBeenCalledTimes(1);
  expect(errors.mock.calls[0][0]).toMatch(/^CircuitBreaker "payments": the breaker store fails every request \(AccessDeniedException: .*not authorized.*\); until it is fixed the circuit follows onStoreFailure \(fail-open\)\. Fix: .*circuitBreaker\.circuits/);
  expect(storeErrorLines(metrics).length).toBeGreaterThan(5);
  expect(storeErrorLines(metrics)[0]).toEqual(expect.objectContaining({ Circuit: 'payments', CircuitStoreErrors: 1 }));
});

test('a table that does not exist (real dynalite answer) names the table to check', async () => {
  const { breaker, metrics } = instance(db, 'no-such-table', new FakeClock());
  await outcome(breaker, fail);
  expect(errors).toHaveBeenCalledTimes(1);
  expect(errors.mock.calls[0][0]).toContain('ResourceNotFoundException');
  expect(errors.mock.calls[0][0]).toContain('table "no-such-table" does not exist');
  expect(storeErrorLines(metrics)).toHaveLength(1);
});

test('a transient store failure (timeout) is counted but not reported as a configuration error', async () => {
  const slow = { send: async () => { throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }); }, destroy: () => {} } as unknown as DynamoDBClient;
  const { breaker, metrics } = instance(db, 'not-used', new FakeClock(), { client: slow });
  await outcome(breaker, fail);
  expect(errors).not.toHaveBeenCalled();
  expect(storeErrorLines(metrics)).toHaveLength(1);
});

describe('a circuit outside the function grant (RESILIENT_BREAKER_CIRCUITS)', () => {
  const saved = process.env.RESILIENT_BREAKER_CIRCUITS;
  beforeEach(() => { process.env.RESILIENT_BREAKER_CIRCUITS = 'payments,shipping'; });
  afterEach(() => {
    if (saved === undefined) delete process.env.RESILIENT_BREAKER_CIRCUITS;
    else process.env.RESILIENT_BREAKER_CIRCUITS = saved;
  });

  test('warns at construction, naming the granted circuits and the prop to change', () => {
    new CircuitBreaker({ name: 'inventory', tableName: 'breakers', metrics: false });
    expect(warnings).toHaveBeenCalledWith(expect.stringMatching(/^CircuitBreaker "inventory": this function is granted only the circuits payments, shipping \(RESILIENT_BREAKER_CIRCUITS\).*Add "inventory" to the ResilientFunction's circuitBreaker\.circuits\.$/));
  });

  test('a granted circuit constructs silently', () => {
    new CircuitBreaker({ name: 'shipping', tableName: 'breakers', metrics: false });
    expect(warnings).not.toHaveBeenCalled();
  });
});

test('breakers of one environment share one DynamoDB client per request budget', async () => {
  expect(sharedDynamoDbClient(200)).toBe(sharedDynamoDbClient(200));
  expect(sharedDynamoDbClient(300)).not.toBe(sharedDynamoDbClient(200));
  // And the shared client really serves breakers (real SDK, dynalite through AWS_ENDPOINT_URL_DYNAMODB).
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  try {
    const table = await db.createBreakerTable();
    const options = { tableName: table, storeTimeoutMs: 5_000, minimumCalls: 2, flushAfterFailures: 1, refreshMs: 0, metrics: false } as const;
    const a = new CircuitBreaker({ name: 'a', ...options });
    const b = new CircuitBreaker({ name: 'b', ...options });
    for (const breaker of [a, b]) {
      await outcome(breaker, fail);
      await outcome(breaker, fail);
      expect(await breaker.state()).toBe('OPEN');
    }
    (await sharedDynamoDbClient(5_000)).destroy();
  } finally {
    process.env = saved;
  }
});

test('the open write applied but its reply lost: the next read shows this instance opened it, and CircuitOpened is counted once', async () => {
  const table = await db.createBreakerTable();
  const real = db.client();
  // Applies every request; drops the reply of the one that opens the circuit, as a timeout after the write would.
  const lossy = {
    send: async (command: { input?: { ExpressionAttributeValues?: Record<string, { S?: string }> } }) => {
      const out = await real.send(command as never);
      if (command.input?.ExpressionAttributeValues?.[':st']?.S === 'OPEN') throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      return out;
    },
    destroy: () => real.destroy(),
  } as unknown as DynamoDBClient;
  const clock = new FakeClock();
  const { breaker, metrics, changes } = instance(db, table, clock, { client: lossy });
  for (let n = 0; n < 4; n++) await outcome(breaker, fail);
  expect(breaker.cachedState).toBe('CLOSED'); // it never saw the reply
  clock.advance(2_000); // past the store guard's pause
  await outcome(breaker, fail); // its due refresh (overlapping the call) reads the item
  expect(breaker.cachedState).toBe('OPEN');
  expect(changes.map((c) => [c.to, c.byThisInstance])).toEqual([['OPEN', true]]);
  expect(metrics.filter((m) => m.CircuitOpened === 1)).toHaveLength(1);
});
