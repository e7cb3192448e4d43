/*
 * A target function in a local pool behind the local Invoke API, and the two warmers to compare on it:
 * ours (createWarmer + the production SDK invoker) and a naive fire-N-pings warmer. Shared by the warmer
 * tests and `npm run bench:warmer`, so both measure the same setup. Distinct environments are counted from
 * the pool's own invocation facts, never from what a warmer claims.
 */
import { join } from 'node:path';
import { FunctionPool, InvocationFacts, InvokeApi, startInvokeApi } from '../../../../lib/local';
import { createWarmer, lambdaInvoker, LambdaInvoker, WarmerSummary, WarmupPayload } from '../../../../lib/warmer/handler';
import { bundleFixture } from '../../../local/execution/support/bundle-fixture';

export const TARGET_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:warm-target:live';
const WARM_TARGET_SOURCE = join(__dirname, '..', '..', '..', 'runtime', 'warmup', 'fixtures', 'warm-target.ts');

/** What one warming run did, as the pool saw it. */
export interface WarmingMeasurement {
  readonly requested: number;
  /** Distinct environments that served a call of this warming run. */
  readonly distinct: number;
  /** Environments idle (ready to serve without a cold start) right after the run. */
  readonly idleAfter: number;
  readonly summary?: WarmerSummary;
}

/** The pool's state before warming: environments already idle, and environments busy with long requests. */
export interface Preexisting {
  readonly idle: number;
  readonly busy: number;
}

export class WarmingLab {
  static async start(options: { maxSockets?: number } = {}): Promise<WarmingLab> {
    const handlerPath = bundleFixture(WARM_TARGET_SOURCE);
    const pool = new FunctionPool({ functionName: 'warm-target', handlerPath, timeoutMs: 15_000, onLog: () => undefined });
    const api = await startInvokeApi({ resolve: (name) => (name === 'warm-target' ? pool : undefined) });
    const invoke = lambdaInvoker(options.maxSockets ?? 200, {
      endpoint: api.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return new WarmingLab(pool, api, invoke);
  }

  private busyRequests: Promise<unknown>[] = [];

  private constructor(
    readonly pool: FunctionPool,
    private readonly api: InvokeApi,
    readonly invoke: LambdaInvoker,
  ) {}

  /** Brings the (fresh) pool to `idle` idle plus `busy` busy environments. */
  async prepare(pre: Preexisting): Promise<void> {
    const total = pre.idle + pre.busy;
    await Promise.all(Array.from({ length: total }, () => this.pool.invoke({ sleepMs: 50 })));
    this.busyRequests = Array.from({ length: pre.busy }, () => this.pool.invoke({ sleepMs: 4000 }));
    if (this.pool.stats.environments !== total || this.pool.stats.busy !== pre.busy) {
      throw new Error(`lab: expected ${total} environments (${pre.busy} busy), got ${JSON.stringify(this.pool.stats)}`);
    }
  }

  /** Our warmer, through the real SDK invoker and the local Invoke API. */
  async warmWithOurs(concurrency: number, holdMs: number): Promise<WarmingMeasurement> {
    const warmer = createWarmer({ invoke: this.invoke, emit: () => undefined });
    return this.measure(concurrency, () => warmer.warm({ targets: [{ functionArn: TARGET_ARN, concurrency }], holdMs }));
  }

  /**
   * NAIVE WARMER — a test-only baseline, not part of the library. It does what fire-and-hope warmers do:
   * N concurrent pings that the function answers at once (`{ warmer: true }` → return early), hoping each
   * lands on its own environment.
   */
  async warmNaively(concurrency: number): Promise<WarmingMeasurement> {
    const ping = { warmer: true } as unknown as WarmupPayload;
    return this.measure(concurrency, async () => {
      await Promise.all(Array.from({ length: concurrency }, () => this.invoke(TARGET_ARN, ping)));
      return undefined;
    });
  }

  /** N concurrent real requests; returns how many met a cold start. */
  async burst(n: number): Promise<{ cold: number; environments: number }> {
    const results = await Promise.all(Array.from({ length: n }, () => this.pool.invoke({ sleepMs: 50 })));
    return { cold: results.filter((r) => r.facts.cold).length, environments: new Set(results.map((r) => r.facts.environmentId)).size };
  }

  /** Finishes the busy requests and stops everything. */
  async close(): Promise<void> {
    this.invoke.destroy();
    await this.api.close();
    await this.pool.close();
    await Promise.allSettled(this.busyRequests);
  }

  private async measure(requested: number, run: () => Promise<WarmerSummary | undefined>): Promise<WarmingMeasurement> {
    const served: InvocationFacts[] = [];
    const busyBefore = new Set(this.busyEnvironmentIds());
    const listener = (r: { facts: InvocationFacts }) => {
      if (r.facts.environmentId && !busyBefore.has(r.facts.environmentId)) served.push(r.facts);
    };
    this.pool.on('invocation', listener);
    const summary = await run();
    this.pool.off('invocation', listener);
    return { requested, distinct: new Set(served.map((f) => f.environmentId)).size, idleAfter: this.pool.stats.idle, summary };
  }

  private busyEnvironmentIds(): string[] {
    return this.pool.environmentList().filter((e) => e.state === 'busy').map((e) => e.environmentId);
  }
}
