import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BREAKER_METRIC } from '../../lib/contract';
import { CircuitBreaker } from '../../lib/runtime';
import type { LocalDynamo } from '../../test/support/dynalite';
import { NaiveSharedBreaker } from './naive-shared-breaker';

/** What happened when many instances hit one circuit at the same time. */
export interface ConcurrencyResult {
  readonly breaker: string;
  /** Successful calls made vs. successes the store recorded (threshold unreachable, so nothing resets). */
  readonly callsMade: number;
  readonly countsStored: number;
  /** Instances that wrote an OPEN transition when every call failed (1 is correct). */
  readonly openers: number;
}

const INSTANCES = 20;
const CALLS_EACH = 10;
const clock = { now: () => 1_700_000_000_000 };

export async function concurrencyCheck(db: LocalDynamo): Promise<ConcurrencyResult[]> {
  return [await checkOurs(db), await checkNaive(db)];
}

async function checkOurs(db: LocalDynamo): Promise<ConcurrencyResult> {
  const countTable = await db.createBreakerTable();
  // flushMs 0: every outcome is flushed at once, so the store can be compared with the calls made; a generous
  // deadline, so a loaded machine does not turn into a store outage (that is store-outage.test.ts's subject)
  const counting = fleet((client) => new CircuitBreaker({ name: 'c', tableName: countTable, client, clock, flushMs: 0, failureRateThreshold: 100, metrics: false, storeTimeoutMs: 10_000 }), db);
  await runAll(counting.map((b) => () => b.execute(ok)));
  const countsStored = sumAttributes(await item(db, countTable), /^s_/);

  const openTable = await db.createBreakerTable();
  let opened = 0;
  const metrics = (line: string): void => {
    if (line.includes(BREAKER_METRIC.OPENED)) opened++;
  };
  const failing = fleet((client) => new CircuitBreaker({ name: 'c', tableName: openTable, client, clock, flushAfterFailures: 1, minimumCalls: 10, metrics }), db);
  await runAll(failing.map((b) => () => b.execute(down)));
  return { breaker: 'ours (CircuitBreaker)', callsMade: INSTANCES * CALLS_EACH, countsStored, openers: opened };
}

async function checkNaive(db: LocalDynamo): Promise<ConcurrencyResult> {
  const countTable = await db.createBreakerTable();
  const counting = fleet((client) => new NaiveSharedBreaker(client, countTable, 'c', clock, { failureRateThreshold: 100, minimumCalls: 10, openMs: 30_000 }), db);
  await runAll(counting.map((b) => () => b.execute(ok)));
  const countsStored = Number((await item(db, countTable)).successes?.N ?? 0);

  const openTable = await db.createBreakerTable();
  const failing = fleet((client) => new NaiveSharedBreaker(client, openTable, 'c', clock), db);
  await runAll(failing.map((b) => () => b.execute(down)));
  const openers = failing.reduce((sum, b) => sum + b.opened, 0);
  return { breaker: 'naive shared (BASELINE)', callsMade: INSTANCES * CALLS_EACH, countsStored, openers };
}

const ok = (): Promise<string> => Promise.resolve('ok');
const down = (): Promise<string> => Promise.reject(new Error('down'));

function fleet<B>(make: (client: ReturnType<LocalDynamo['client']>) => B, db: LocalDynamo): B[] {
  return Array.from({ length: INSTANCES }, () => make(db.client({ maxAttempts: 2 })));
}

/** Each instance makes its calls one after another; the instances run at the same time. */
async function runAll(instances: Array<() => Promise<unknown>>): Promise<void> {
  await Promise.all(instances.map(async (call) => {
    for (let n = 0; n < CALLS_EACH; n++) await call().catch(() => undefined);
  }));
}

async function item(db: LocalDynamo, tableName: string): Promise<Record<string, { N?: string }>> {
  const client = db.client();
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'c' } }, ConsistentRead: true }));
  client.destroy();
  return out.Item ?? {};
}

function sumAttributes(item: Record<string, { N?: string }>, pattern: RegExp): number {
  return Object.entries(item).filter(([k]) => pattern.test(k)).reduce((sum, [, v]) => sum + Number(v.N ?? 0), 0);
}
