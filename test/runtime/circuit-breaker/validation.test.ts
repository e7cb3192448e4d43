import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BREAKER_TABLE_ENV } from '../../../lib/contract';
import { CircuitBreaker, type CircuitBreakerOptions } from '../../../lib/runtime';

const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const base: CircuitBreakerOptions = { name: 'payments', tableName: 'breakers', client, metrics: false };
const make = (overrides: Record<string, unknown>): CircuitBreaker =>
  new CircuitBreaker({ ...base, ...overrides } as CircuitBreakerOptions);

afterAll(() => client.destroy());

test('valid options construct without touching the network', () => {
  expect(make({}).name).toBe('payments');
  expect(make({
    failureRateThreshold: 1, minimumCalls: 1, windowMs: 1_000, openMs: 100, halfOpenProbes: 20, callTimeoutMs: 1,
    slowCallMs: 1, slowCallRateThreshold: 100, refreshMs: 0, flushMs: 0, flushAfterFailures: 1, storeTimeoutMs: 10,
    onStoreFailure: 'fail-closed', maxOpenMs: 100,
  }).name).toBe('payments');
});

test.each<[string, Record<string, unknown>, string]>([
  ['threshold too high', { failureRateThreshold: 150 }, 'CircuitBreaker "payments": failureRateThreshold must be between 1 and 100, got 150'],
  ['threshold zero', { failureRateThreshold: 0 }, 'failureRateThreshold must be between 1 and 100, got 0'],
  ['threshold NaN', { failureRateThreshold: NaN }, 'failureRateThreshold must be between 1 and 100, got NaN'],
  ['threshold as string', { failureRateThreshold: '50' }, 'failureRateThreshold must be between 1 and 100, got "50"'],
  ['minimumCalls zero', { minimumCalls: 0 }, 'minimumCalls must be an integer between 1 and 1000000, got 0'],
  ['minimumCalls fractional', { minimumCalls: 2.5 }, 'minimumCalls must be an integer between 1 and 1000000, got 2.5'],
  ['windowMs too short', { windowMs: 500 }, 'windowMs must be an integer between 1000 and 86400000, got 500'],
  ['openMs too short', { openMs: 10 }, 'openMs must be an integer between 100 and 86400000, got 10'],
  ['maxOpenMs below openMs', { openMs: 30_000, maxOpenMs: 1_000 }, 'maxOpenMs must be an integer between 30000 and 86400000, got 1000'],
  ['no probes', { halfOpenProbes: 0 }, 'halfOpenProbes must be an integer between 1 and 20, got 0'],
  ['too many probes', { halfOpenProbes: 21 }, 'halfOpenProbes must be an integer between 1 and 20, got 21'],
  ['negative callTimeoutMs', { callTimeoutMs: -1 }, 'callTimeoutMs must be an integer between 1 and 86400000, got -1'],
  ['slowCallMs zero', { slowCallMs: 0 }, 'slowCallMs must be an integer between 1 and 86400000, got 0'],
  ['slow threshold without slowCallMs', { slowCallRateThreshold: 50 }, 'slowCallRateThreshold needs slowCallMs (what counts as slow), got no slowCallMs'],
  ['slow threshold too high', { slowCallMs: 100, slowCallRateThreshold: 101 }, 'slowCallRateThreshold must be between 1 and 100, got 101'],
  ['negative refreshMs', { refreshMs: -5 }, 'refreshMs must be an integer between 0 and 86400000, got -5'],
  ['negative flushMs', { flushMs: -1 }, 'flushMs must be an integer between 0 and 86400000, got -1'],
  ['flushAfterFailures zero', { flushAfterFailures: 0 }, 'flushAfterFailures must be an integer between 1 and 1000000, got 0'],
  ['storeTimeoutMs too short', { storeTimeoutMs: 1 }, 'storeTimeoutMs must be an integer between 10 and 60000, got 1'],
  ['probeLeaseMs too long', { probeLeaseMs: 1_000_000 }, 'probeLeaseMs must be an integer between 100 and 900000, got 1000000'],
  ['unknown store policy', { onStoreFailure: 'ignore' }, `onStoreFailure must be 'fail-open' or 'fail-closed', got "ignore"`],
  ['isFailure not a function', { isFailure: true }, 'isFailure must be a function, got true'],
  ['fallback not a function', { fallback: 'cached' }, 'fallback must be a function, got "cached"'],
  ['onStateChange not a function', { onStateChange: {} }, 'onStateChange must be a function, got an object'],
  ['metrics not boolean or function', { metrics: 'stdout' }, 'metrics must be a boolean or a function(line), got "stdout"'],
  ['clock without now()', { clock: {} }, 'clock must have a now() method returning epoch ms, got an object'],
  ['client without send()', { client: {} }, 'client must be a DynamoDBClient, got an object'],
  ['bad table name', { tableName: 'a b' }, 'CircuitBreaker "payments": tableName must be a DynamoDB table name (3-255 characters of letters, digits and . _ -), got "a b"'],
])('%s', (_case, overrides, message) => {
  expect(() => make(overrides)).toThrow(message);
});

test.each<[string, unknown, string]>([
  ['empty name', '', 'CircuitBreaker: name must be 1-128 letters, digits and . _ -, starting with a letter or digit (the rule the CircuitBreakerTable grant uses), got ""'],
  ['name with spaces', 'my circuit', 'CircuitBreaker "my circuit": name must be 1-128 letters, digits and . _ -, starting with a letter or digit (the rule the CircuitBreakerTable grant uses), got "my circuit"'],
  ['name not a string', 42, 'CircuitBreaker: name must be 1-128 letters, digits and . _ -, starting with a letter or digit (the rule the CircuitBreakerTable grant uses), got 42'],
  ['name too long', 'x'.repeat(129), 'name must be 1-128 letters'],
  ['name the grant cannot match (":" and "/")', 'svc:payments/v1', 'CircuitBreaker "svc:payments/v1": name must be 1-128 letters'],
])('%s', (_case, name, message) => {
  expect(() => make({ name })).toThrow(message);
});

describe('tableName', () => {
  const saved = process.env[BREAKER_TABLE_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[BREAKER_TABLE_ENV];
    else process.env[BREAKER_TABLE_ENV] = saved;
  });

  test('missing everywhere: says where it comes from', () => {
    delete process.env[BREAKER_TABLE_ENV];
    expect(() => make({ tableName: undefined })).toThrow(
      'CircuitBreaker "payments": tableName is required: pass it or set RESILIENT_BREAKER_TABLE (the CircuitBreakerTable construct does)',
    );
  });

  test('defaults to the environment variable the construct sets', () => {
    process.env[BREAKER_TABLE_ENV] = 'from-env';
    expect(make({ tableName: undefined }).name).toBe('payments');
  });
});

test('every problem is reported at once, one line each', () => {
  expect(() => make({ failureRateThreshold: 150, halfOpenProbes: 0 })).toThrow(
    'CircuitBreaker "payments": failureRateThreshold must be between 1 and 100, got 150\n'
    + 'CircuitBreaker "payments": halfOpenProbes must be an integer between 1 and 20, got 0',
  );
});

test('options that are not an object', () => {
  expect(() => new CircuitBreaker(undefined as unknown as CircuitBreakerOptions)).toThrow(
    'CircuitBreaker: options must be an object with at least a name, got undefined',
  );
});

describe('execute() arguments', () => {
  const breaker = make({});
  test('fn must be a function', async () => {
    await expect(breaker.execute('call' as unknown as () => string)).rejects.toThrow(
      'CircuitBreaker "payments": execute() needs a function, got string',
    );
  });
  test('remainingTimeMs must be a non-negative number', async () => {
    await expect(breaker.execute(() => 1, { remainingTimeMs: -3 })).rejects.toThrow(
      'CircuitBreaker "payments": remainingTimeMs must be a number >= 0, got -3',
    );
  });
  test('fallback must be a function', async () => {
    await expect(breaker.execute(() => 1, { fallback: 'x' as unknown as () => number })).rejects.toThrow(
      'CircuitBreaker "payments": fallback must be a function, got string',
    );
  });
});
