import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BREAKER_TABLE_ENV, CIRCUIT_NAME_PATTERN, CIRCUIT_NAME_RULE } from '../../contract';
import type { StateChange } from './circuit-state';

/** What the breaker does when its state store (DynamoDB) fails or is too slow. */
export type StoreFailurePolicy = 'fail-open' | 'fail-closed';

/** A source of time; `Date` satisfies it. Inject a fake one in tests. */
export interface Clock {
  now(): number;
}

/** Options of a `CircuitBreaker`. Every duration is in milliseconds. */
export interface CircuitBreakerOptions {
  /** Circuit id, the partition key of its DynamoDB item: 1-128 letters, digits and `. _ -`, starting with a letter or digit. */
  readonly name: string;
  /** Breaker table. @default process.env.RESILIENT_BREAKER_TABLE (set by the CircuitBreakerTable construct) */
  readonly tableName?: string;
  /** DynamoDB client. @default - one client per environment, one attempt per request (a lost reply is resolved by the breaker, never replayed blindly). A client you pass should have `maxAttempts: 1` too */
  readonly client?: DynamoDBClient;
  /** Percentage (1-100) of failed calls in the window at or above which the circuit opens. @default 50 */
  readonly failureRateThreshold?: number;
  /** Fleet-wide calls in the window below which the circuit never opens. @default 10 */
  readonly minimumCalls?: number;
  /** Sliding window of the failure rate, kept as 10 time buckets. @default 60_000 */
  readonly windowMs?: number;
  /** How long the circuit stays OPEN before probes; doubles on each consecutive re-open. @default 30_000 */
  readonly openMs?: number;
  /** Cap of the open-period backoff. @default max(openMs, 300_000) */
  readonly maxOpenMs?: number;
  /**
   * Each open period is lengthened by a random 0 to this percentage, so circuits (and fleets) that opened
   * together do not all probe their downstream at the same instant; each instance also ends its rejections
   * at a random point of up to min(refreshMs, 1 s) after it. 0 turns both off. @default 20
   */
  readonly openJitterPercent?: number;
  /** Fleet-wide probe permits in HALF_OPEN; that many successful probes close the circuit. @default 3 */
  readonly halfOpenProbes?: number;
  /** Upper bound of a probe's lease when the invocation's remaining time is unknown. @default 60_000 */
  readonly probeLeaseMs?: number;
  /** Abort the protected call (its AbortSignal fires) and count a failure after this long. @default - no timeout */
  readonly callTimeoutMs?: number;
  /** A call that takes at least this long counts as slow. @default - slow calls are not tracked */
  readonly slowCallMs?: number;
  /** Percentage (1-100) of slow calls in the window at or above which the circuit opens. @default 100 when slowCallMs is set */
  readonly slowCallRateThreshold?: number;
  /** Decides whether an error counts as a failure; other errors count as successes and are rethrown. @default - every error is a failure */
  readonly isFailure?: (error: unknown) => boolean;
  /** Decides whether a returned value counts as a failure (e.g. an HTTP 5xx response); the value is still returned. @default - no value is a failure */
  readonly isResultFailure?: (value: unknown) => boolean;
  /** Errors that count as neither success nor failure (e.g. a caller's 4xx): rethrown, not counted; a probe that ends in one gives its permit back to its lease. @default - none */
  readonly ignore?: (error: unknown) => boolean;
  /** Result to use when a call is rejected or fails (receives the error). @default - rethrow */
  readonly fallback?: (error: unknown) => unknown;
  /** Re-read the state from the store at most this often while CLOSED or HALF_OPEN. @default 5_000 */
  readonly refreshMs?: number;
  /**
   * Flush locally counted outcomes this often (each instance writes at most once per flushMs, whatever the
   * error rate: a circuit takes about instances / (flushMs / 1000) writes per second). A rate is judged
   * once every instance has flushed a time bucket; an outage (90 % of recent calls failing) at once.
   * @default 5_000
   */
  readonly flushMs?: number;
  /**
   * Also flush as soon as this many failures are pending with (almost) no success among them. Faster
   * outage detection for a single instance, but a failure-triggered flush is a biased sample: when a fleet
   * starts at a partial failure rate, its unlucky instances' batches reach the store first.
   * @default - off: flushes are paced by flushMs only
   */
  readonly flushAfterFailures?: number;
  /** Budget of one store request, retries included. @default 200 */
  readonly storeTimeoutMs?: number;
  /** Admit calls (`fail-open`) or reject them (`fail-closed`) while the store is failing. @default 'fail-open' */
  readonly onStoreFailure?: StoreFailurePolicy;
  /** Called on every state change this instance observes. @default - none */
  readonly onStateChange?: (change: StateChange) => void;
  /** Publish CloudWatch metrics (Embedded Metric Format) on stdout, or to this writer. @default true */
  readonly metrics?: boolean | ((line: string) => void);
  /** Time source. @default Date */
  readonly clock?: Clock;
}

/** Options after defaults, as the breaker uses them (the callbacks, client, clock and metrics as given). */
export interface ResolvedOptions extends Pick<CircuitBreakerOptions, 'client' | 'isFailure' | 'isResultFailure' | 'ignore' | 'fallback' | 'onStateChange' | 'metrics' | 'clock'> {
  readonly name: string;
  readonly tableName: string;
  readonly failureRateThreshold: number;
  readonly minimumCalls: number;
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
  readonly openJitterPercent: number;
  readonly halfOpenProbes: number;
  readonly probeLeaseMs: number;
  readonly callTimeoutMs: number | undefined;
  readonly slowCallMs: number | undefined;
  readonly slowCallRateThreshold: number;
  readonly refreshMs: number;
  readonly flushMs: number;
  readonly flushAfterFailures: number | undefined;
  readonly storeTimeoutMs: number;
  readonly failClosed: boolean;
}

/** Buckets per window: finer buckets slide more smoothly but make the item bigger. */
export const BUCKETS_PER_WINDOW = 10;

const NAME = new RegExp(CIRCUIT_NAME_PATTERN);
const TABLE = /^[A-Za-z0-9._-]{3,255}$/;
const DAY = 86_400_000;

type NumericOption = Exclude<{ [K in keyof ResolvedOptions]-?: ResolvedOptions[K] extends number | undefined ? K : never }[keyof ResolvedOptions], 'bucketMs' | 'maxOpenMs'>;

type NumericSpec = [number | undefined, number, number, boolean];

/** Numeric options: [default (undefined: optional), min, max, whole number]. */
const NUMERIC: Record<NumericOption, NumericSpec> = {
  failureRateThreshold: [50, 1, 100, false],
  minimumCalls: [10, 1, 1_000_000, true],
  windowMs: [60_000, 1_000, DAY, true],
  openMs: [30_000, 100, DAY, true],
  openJitterPercent: [20, 0, 100, false],
  halfOpenProbes: [3, 1, 20, true],
  probeLeaseMs: [60_000, 100, 900_000, true],
  callTimeoutMs: [undefined, 1, DAY, true],
  slowCallMs: [undefined, 1, DAY, true],
  slowCallRateThreshold: [100, 1, 100, false],
  refreshMs: [5_000, 0, DAY, true],
  flushMs: [5_000, 0, DAY, true],
  flushAfterFailures: [undefined, 1, 1_000_000, true],
  storeTimeoutMs: [200, 10, 60_000, true],
};

const FUNCTIONS = ['isFailure', 'isResultFailure', 'ignore', 'fallback', 'onStateChange'];

/** How messages name a breaker: with its name when it has one. */
export const breakerLabel = (name: unknown): string => (typeof name === 'string' && name !== '' ? `CircuitBreaker "${name}"` : 'CircuitBreaker');

/** Applies defaults and checks every option; throws one error listing every problem. */
export function resolveOptions(options: CircuitBreakerOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`CircuitBreaker: options must be an object with at least a name, got ${show(options)}`);
  }
  const problems: string[] = [];
  const given = options as unknown as Record<string, unknown>;
  const resolved: Record<string, unknown> = { ...given };
  /** Checks one numeric option: [default (undefined: optional), min, max, whole number]. */
  const check = (key: string, [fallback, min, max, whole]: NumericSpec): void => {
    const value = given[key];
    resolved[key] = fallback;
    if (value === undefined) return;
    if (typeof value !== 'number' || !(value >= min && value <= max) || (whole && !Number.isInteger(value))) {
      problems.push(`${key} must be ${whole ? 'an integer ' : ''}between ${min} and ${max}, got ${show(value)}`);
    } else {
      resolved[key] = value;
    }
  };
  const demand = (ok: boolean, problem: string): unknown => ok || problems.push(problem);

  const { name, slowCallMs, metrics, clock, client } = options;
  demand(typeof name === 'string' && NAME.test(name), `name must be ${CIRCUIT_NAME_RULE} (the rule the CircuitBreakerTable grant uses), got ${show(name)}`);
  const tableName = resolved.tableName ??= process.env[BREAKER_TABLE_ENV];
  if (tableName === undefined || tableName === '') {
    problems.push(`tableName is required: pass it or set ${BREAKER_TABLE_ENV} (the CircuitBreakerTable construct does)`);
  } else {
    demand(typeof tableName === 'string' && TABLE.test(tableName), `tableName must be a DynamoDB table name (3-255 characters of letters, digits and . _ -), got ${show(tableName)}`);
  }
  for (const [key, spec] of Object.entries(NUMERIC)) check(key, spec);
  const openMs = resolved.openMs as number;
  check('maxOpenMs', [Math.max(openMs, 300_000), openMs, DAY, true]);
  demand(options.slowCallRateThreshold === undefined || slowCallMs !== undefined, 'slowCallRateThreshold needs slowCallMs (what counts as slow), got no slowCallMs');
  const policy = options.onStoreFailure ?? 'fail-open';
  demand(policy === 'fail-open' || policy === 'fail-closed', `onStoreFailure must be 'fail-open' or 'fail-closed', got ${show(policy)}`);
  for (const key of FUNCTIONS) demand(given[key] === undefined || typeof given[key] === 'function', `${key} must be a function, got ${show(given[key])}`);
  demand(metrics === undefined || typeof metrics === 'boolean' || typeof metrics === 'function', `metrics must be a boolean or a function(line), got ${show(metrics)}`);
  demand(clock === undefined || typeof clock?.now === 'function', `clock must have a now() method returning epoch ms, got ${show(clock)}`);
  demand(client === undefined || typeof (client as { send?: unknown } | null)?.send === 'function', `client must be a DynamoDBClient, got ${show(client)}`);

  if (problems.length > 0) throw new Error(problems.map((p) => `${breakerLabel(name)}: ${p}`).join('\n'));
  resolved.bucketMs = Math.ceil((resolved.windowMs as number) / BUCKETS_PER_WINDOW);
  resolved.failClosed = policy === 'fail-closed';
  return resolved as unknown as ResolvedOptions;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
