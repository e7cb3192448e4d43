import { type AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CircuitBreaker, type CircuitBreakerOptions, type StateChange } from '../../../lib/runtime';
import { countRequests, type FaultPlan, injectFaults, type LocalDynamo, type RequestCounter } from '../../support/dynalite';

/** Time that moves only when the test says so. */
export class FakeClock {
  constructor(public t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A breaker on its own client (like a separate Lambda instance), with its requests, metrics and changes recorded. */
export interface Instance {
  readonly breaker: CircuitBreaker;
  readonly requests: RequestCounter;
  readonly metrics: Array<Record<string, unknown>>;
  readonly changes: StateChange[];
}

export function instance(db: LocalDynamo, tableName: string, clock: FakeClock, options: Partial<CircuitBreakerOptions> = {}, faults?: FaultPlan): Instance {
  const client = db.client();
  const requests = countRequests(client);
  if (faults) injectFaults(client, faults);
  const metrics: Array<Record<string, unknown>> = [];
  const changes: StateChange[] = [];
  // Each breaker starts its flush timer at a random phase of flushMs; tests that count flushes need it known,
  // so every instance here starts at phase 0 (the fleet's instances in step: the harsher case for fleet tests).
  const random = jest.spyOn(Math, 'random').mockReturnValue(0);
  const breaker = new CircuitBreaker({
    name: 'payments',
    tableName,
    client,
    clock,
    failureRateThreshold: 50,
    minimumCalls: 4,
    windowMs: 60_000,
    openMs: 30_000,
    openJitterPercent: 0, // exact open periods; jitter has its own test
    halfOpenProbes: 2,
    refreshMs: 1_000,
    flushMs: 1_000,
    flushAfterFailures: 1,
    storeTimeoutMs: 10_000, // generous: a loaded 2-core CI box must not turn into a store outage
    metrics: (line) => metrics.push(JSON.parse(line)),
    onStateChange: (c) => changes.push(c),
    ...options,
  });
  random.mockRestore();
  return { breaker, requests, metrics, changes };
}

export const succeed = async (): Promise<string> => 'ok';
export const fail = async (): Promise<string> => {
  throw new Error('downstream down');
};

/** Runs `fn` through the breaker and reports how it ended, without throwing. */
export async function outcome(breaker: CircuitBreaker, fn: () => Promise<string>): Promise<'ok' | 'failed' | 'rejected'> {
  try {
    await breaker.execute(fn);
    return 'ok';
  } catch (e) {
    return (e as Error).name === 'CircuitOpenError' ? 'rejected' : 'failed';
  }
}

export async function readItem(db: LocalDynamo, tableName: string, name = 'payments'): Promise<Record<string, AttributeValue>> {
  const client = db.client();
  try {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: name } }, ConsistentRead: true }));
    return out.Item ?? {};
  } finally {
    client.destroy();
  }
}

/** Sum of the item's counters of one kind (s, f or slow), over every version and bucket. */
export function storedCount(item: Record<string, AttributeValue>, kind: 's' | 'f' | 'slow'): number {
  const pattern = new RegExp(`^${kind}_\\d+_\\d+$`);
  return Object.entries(item).filter(([k]) => pattern.test(k)).reduce((sum, [, v]) => sum + Number(v.N), 0);
}

export function metricCount(metrics: Array<Record<string, unknown>>, name: string): number {
  return metrics.reduce((sum, m) => sum + (typeof m[name] === 'number' ? (m[name] as number) : 0), 0);
}

/** Polls until `condition` holds (for work the test cannot await directly, e.g. a probe that is still running). */
export async function eventually(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let n = 0; n < 500; n++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting until ${what}`);
}

/** True once some probe slot of the stored item holds a lease. */
export async function probeLeased(db: LocalDynamo, tableName: string): Promise<boolean> {
  const item = await readItem(db, tableName);
  return Object.keys(item).some((k) => /^lx\d+$/.test(k));
}
