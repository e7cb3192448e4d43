/*
 * Fleet-scale figures of the shared breaker, on a virtual clock against dynalite: the DynamoDB writes one
 * circuit's item takes per second, how long a real outage takes to open the circuit, and how often a fleet
 * that starts together at a failure rate below the threshold opens it anyway.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CircuitBreaker } from '../../lib/runtime';
import { countRequests, type LocalDynamo } from '../../test/support/dynalite';
import { seededRandom } from '../../test/support/seeded-random';

/** The shipped defaults (threshold 50 %, minimumCalls 10, window 60 s, refresh and flush 5 s). */
const DEFAULTS = {};
const TICK_MS = 10;
const DOWN = new Error('downstream down');

export interface FleetShape {
  readonly instances: number;
  /** Calls per second per instance. */
  readonly callsPerS: number;
  /** Share of calls that fail, 0-1. */
  readonly failureRate: number;
  /** From this second on every call fails (an outage); before it, failureRate applies. */
  readonly outageAtS?: number;
  readonly seconds: number;
  readonly seed: number;
}

export interface FleetRun {
  readonly calls: number;
  /** UpdateItem requests per second, averaged over the steady part (after the first flush interval). */
  readonly writesPerS: number;
  /** The most UpdateItem requests in any one virtual second. */
  readonly peakWritesPerS: number;
  readonly readsPerS: number;
  /** Virtual ms from the start (or from the outage) until the circuit first opened, if it did. */
  readonly openedAfterMs: number | undefined;
}

/**
 * Runs `instances` breakers (each a Lambda instance; one shared, counted client, since the request count is
 * what matters here) for `seconds` of virtual time, every instance calling at `callsPerS` in lockstep ticks.
 */
export async function runFleet(db: LocalDynamo, shape: FleetShape, stopWhenOpen = false): Promise<FleetRun> {
  const tableName = await db.createBreakerTable();
  const client: DynamoDBClient = db.client({ maxAttempts: 1 });
  const counter = countRequests(client);
  let t = 1_700_000_000_000;
  const start = t;
  const clock = { now: () => t };
  const rnd = seededRandom(shape.seed);
  let openedAt: number | undefined;
  const fleet = Array.from({ length: shape.instances }, () => new CircuitBreaker({
    ...DEFAULTS, name: 'bench', tableName, client, clock, metrics: false, storeTimeoutMs: 60_000,
    onStateChange: (c) => { if (c.to === 'OPEN') openedAt ??= t; },
  }));
  const outageStart = shape.outageAtS === undefined ? Infinity : start + shape.outageAtS * 1000;
  const outage = (now: number): boolean => now > outageStart;
  const callsPerTick = (shape.callsPerS * TICK_MS) / 1000;
  const writesBySecond: number[] = [];
  let calls = 0;
  let credit = 0;
  try {
    for (let tick = 0; tick < (shape.seconds * 1000) / TICK_MS; tick++) {
      t += TICK_MS;
      credit += callsPerTick;
      const now = Math.floor(credit);
      credit -= now;
      for (let c = 0; c < now; c++) {
        for (const breaker of fleet) {
          calls++;
          const failing = outage(t) || rnd() < shape.failureRate;
          await breaker.execute(() => (failing ? Promise.reject(DOWN) : Promise.resolve('ok'))).catch(() => undefined);
        }
      }
      const second = Math.floor((t - start - 1) / 1000);
      writesBySecond[second] = (counter.byOperation.UpdateItemCommand ?? 0) - writesBySecond.slice(0, second).reduce((a, b) => a + (b ?? 0), 0);
      if (stopWhenOpen && openedAt !== undefined) break;
    }
  } finally {
    client.destroy();
  }
  const steady = writesBySecond.slice(5);
  return {
    calls,
    writesPerS: steady.reduce((a, b) => a + b, 0) / Math.max(steady.length, 1),
    peakWritesPerS: Math.max(...writesBySecond),
    readsPerS: (counter.byOperation.GetItemCommand ?? 0) / shape.seconds,
    openedAfterMs: openedAt === undefined ? undefined : openedAt - (start + (shape.outageAtS ?? 0) * 1000),
  };
}

/**
 * Writes per second per circuit of the previous design (flush after 5 failures or 5 s, whichever first),
 * from issue #11's review: each instance wrote max(0.2, rate × p / 5) times a second. That design is
 * replaced, so it cannot run here; its formula stands beside our measured figure.
 */
export const previousDesignWritesPerS = (shape: FleetShape): number =>
  shape.instances * Math.max(0.2, (shape.callsPerS * shape.failureRate) / 5);
