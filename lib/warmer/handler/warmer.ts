import { randomUUID } from 'node:crypto';
import { WARMUP_KEY, WarmerEvent, WarmerTarget, WarmupRequest, WarmupResponse } from '../../contract';
import { emfLine } from './emf';
import { readWarmerEvent, targetName } from './warmer-event';

/** Payload of one warm-up call. */
export type WarmupPayload = { readonly [WARMUP_KEY]: WarmupRequest };

/**
 * Invokes a target synchronously (RequestResponse). Resolves with the function's parsed response payload;
 * rejects when the invocation fails (an error named `TooManyRequestsException` counts as a throttle).
 */
export type WarmupInvoker = (functionArn: string, payload: WarmupPayload) => Promise<unknown>;

/** What the warmer needs from the outside world; tests pass a local invoker. */
export interface WarmerDependencies {
  readonly invoke: WarmupInvoker;
  /** Receives each EMF metrics line. @default console.log (into CloudWatch Logs) */
  readonly emit?: (line: string) => void;
  /** Rounds per target at most: the first plus top-ups for a shortfall. @default 3 */
  readonly maxRounds?: number;
}

/** The outcome of warming one target. */
export interface TargetSummary {
  /** `function:alias`, the metric dimension. */
  readonly target: string;
  readonly functionArn: string;
  readonly requested: number;
  /** Distinct environments that answered a warm-up call in this run. */
  readonly distinct: number;
  /** Warm-up calls that were their environment's first invocation. */
  readonly cold: number;
  readonly rounds: number;
  readonly throttled: number;
  readonly failed: number;
  /** Answers that were not warm-up responses: the target is probably not wrapped with withResilience. */
  readonly unrecognised: number;
  readonly instanceIds: readonly string[];
  /** First failure message, when any call failed. */
  readonly firstError?: string;
}

/** What one warmer run returns. */
export interface WarmerSummary {
  readonly targets: readonly TargetSummary[];
}

/** A warmer bound to its invoker. */
export interface Warmer {
  /**
   * Warms every target of the schedule payload. `remainingTimeMs` (the warmer Lambda's own
   * context.getRemainingTimeInMillis) keeps top-up rounds from starting when they could not finish.
   */
  warm(event: unknown, remainingTimeMs?: () => number): Promise<WarmerSummary>;
}

/** Time kept for collecting answers and writing metrics after the last round. */
const FINISH_MARGIN_MS = 1000;

/**
 * Creates the warmer: for each target, N parallel warm-up calls that all hold until a shared `releaseAt`, so
 * each occupies its own environment; distinct instance ids are counted and a shortfall gets a top-up round.
 */
export function createWarmer(dependencies: WarmerDependencies): Warmer {
  if (typeof dependencies?.invoke !== 'function') {
    throw new TypeError(`createWarmer: dependencies.invoke must be a function, got ${typeof dependencies?.invoke}`);
  }
  const maxRounds = dependencies.maxRounds ?? 3;
  if (!Number.isInteger(maxRounds) || maxRounds < 1) {
    throw new RangeError(`createWarmer: dependencies.maxRounds must be an integer >= 1, got ${JSON.stringify(maxRounds)}`);
  }
  const emit = dependencies.emit ?? ((line: string) => console.log(line));

  return {
    async warm(input, remainingTimeMs = () => Infinity) {
      const event = readWarmerEvent(input);
      const runId = randomUUID();
      const run = { invoke: dependencies.invoke, event, runId, maxRounds, remainingTimeMs };
      const targets = await Promise.all(event.targets.map((t) => warmTarget(run, t)));
      for (const t of targets) emit(emfLine(t, Date.now()));
      return { targets };
    },
  };
}

/** The hold for N calls: long enough for the fan-out to reach Lambda before the first call is released. */
export function defaultHoldMs(concurrency: number): number {
  return 1000 + 20 * concurrency;
}

interface Run {
  readonly invoke: WarmupInvoker;
  readonly event: WarmerEvent;
  readonly runId: string;
  readonly maxRounds: number;
  readonly remainingTimeMs: () => number;
}

async function warmTarget({ invoke, event, runId, maxRounds, remainingTimeMs }: Run, target: WarmerTarget): Promise<TargetSummary> {
  const n = target.concurrency;
  const instanceIds = new Set<string>();
  const tally = { cold: 0, throttled: 0, failed: 0, unrecognised: 0, firstError: undefined as string | undefined };
  let holdMs = event.holdMs ?? defaultHoldMs(n);
  let rounds = 0;

  while (rounds < maxRounds && instanceIds.size < n) {
    // A top-up that could not finish before the warmer's own timeout would only lose the summary and metrics.
    if (rounds > 0 && remainingTimeMs() < holdMs + FINISH_MARGIN_MS) break;
    rounds++;
    // A top-up is a full round again: the environments warmed so far must be held busy, or the extra calls
    // would land on them instead of on new environments.
    const batchId = `${runId}/${targetName(target.functionArn)}/${rounds}`;
    const releaseAt = Date.now() + holdMs;
    const calls = Array.from({ length: n }, (_, index) =>
      invoke(target.functionArn, { [WARMUP_KEY]: { batchId, index, concurrency: n, releaseAt } }),
    );
    const outcomes = await Promise.allSettled(calls);
    let recognised = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        const err = outcome.reason as Error;
        if (err?.name === 'TooManyRequestsException') tally.throttled++;
        else tally.failed++;
        tally.firstError ??= `${err?.name}: ${err?.message}`;
        continue;
      }
      const response = outcome.value as Partial<WarmupResponse> | null;
      if (response?.warmup !== true || typeof response.instanceId !== 'string' || response.batchId !== batchId) {
        tally.unrecognised++;
        continue;
      }
      recognised++;
      instanceIds.add(response.instanceId);
      if (response.cold) tally.cold++;
    }
    // Nothing a further round could fix: the target does not answer warm-up calls at all.
    if (recognised === 0 && tally.throttled === 0) break;
    // A shortfall means calls arrived after others were released: give the next round more time.
    holdMs *= 2;
  }

  return {
    target: targetName(target.functionArn),
    functionArn: target.functionArn,
    requested: n,
    distinct: instanceIds.size,
    cold: tally.cold,
    rounds,
    throttled: tally.throttled,
    failed: tally.failed,
    unrecognised: tally.unrecognised,
    instanceIds: [...instanceIds],
    ...(tally.firstError ? { firstError: tally.firstError } : {}),
  };
}
