import { BREAKER_CONTROL_ATTRIBUTE as CONTROL, BREAKER_METRIC } from '../../contract';
import type { BreakerEventName, BreakerEvents } from './breaker-events';
import { breakerStore, type FlushMark, StoreDeadlineError } from './breaker-store';
import { allProbesDone, bucketOf, CLOSED, HALF_OPEN, OPEN, type CircuitView, expiredAttributes, freeSlots, nextLeaseExpiry, windowCounts } from './circuit-item';
import type { CircuitState } from './circuit-state';
import { BreakerStoreError, CallTimeoutError, CircuitOpenError, type RejectReason } from './errors';
import type { ExecuteOptions, LambdaContextLike } from './execute-options';
import { type LocalBreaker, localBreaker } from './local-breaker';
import { breakerMetrics } from './metrics';
import { breakerLabel, BUCKETS_PER_WINDOW, type Clock, type ResolvedOptions } from './options';
import { type BucketCounts, pendingOutcomes } from './pending-outcomes';
import { sharedDynamoDbClient } from './shared-client';
import { circuitOutsideGrantWarning, permanentStoreErrorFix } from './store-diagnosis';
import { mayHaveApplied } from './write-outcome';

/** A probe permit: [slot, lease token, version it was taken at]. */
type ProbePermit = [number, string, number];

/** A probe permit, a normal call (undefined), a call admitted by the local breaker, or why not. */
type Admission = ProbePermit | undefined | typeof LOCAL_ADMIT | RejectReason;

/** Admission by this instance's local breaker while the store is unreachable (see localBreaker). */
const LOCAL_ADMIT = 'local-admit';

/** Failure rate of recent, not yet settled calls that opens at once: an outage, not a partial failure rate. */
const OUTAGE_FAILURE_PERCENT = 90;

/** Shortest interval between store reads of an instance that rejects (OPEN, forced open). */
const MIN_RECHECK_WHILE_REJECTING_MS = 1_000;

/** Longest random delay an instance adds to the end of its rejections (see adopt). */
const END_OF_OPEN_SPREAD_MS = 1_000;

/** Flushes an instance marks after one lost a reply (see flushFailed); lost replies come in runs. */
const MARKED_FLUSHES = 50;

/** Pause after a store failure: doubles with each consecutive failure, from the first to the second bound. */
const STORE_GUARD_MS = [1_000, 30_000];

/** What a sync writes: the buckets and, while replies are being lost, the mark that makes a resend harmless. */
interface Flush {
  readonly buckets: readonly BucketCounts[];
  readonly mark: FlushMark | undefined;
}

/** How many calls share one never-aborting signal before it is replaced. */
const SHARED_SIGNAL_USES = 8;

/**
 * Without a call timeout the signal never fires, so calls share one (an AbortController costs about as much
 * as the whole hot path). It is replaced every few calls, so listeners callers never remove become garbage
 * with it instead of piling up (and never reach Node's 10-listener warning).
 */
let idleSignal = new AbortController().signal;
let idleSignalUses = 0;

const uuid = (): string => globalThis.crypto.randomUUID();

/** A user predicate's answer; `unsure` when there is none or it throws (a predicate never fails the call). */
function ask(predicate: ((x: unknown) => boolean) | undefined, x: unknown, unsure: boolean): boolean {
  try {
    return predicate ? (unsure ? predicate(x) !== false : predicate(x) === true) : unsure;
  } catch {
    return unsure;
  }
}

/**
 * The protocol of one circuit as this instance runs it: admission from the cached state, probes, local
 * counting and flushes, transitions, the store guard and the local breaker. Its state lives in this closure
 * (`CircuitBreaker` is the public face), so the runtime ships without a field name per access.
 */
export function circuitProtocol(o: ResolvedOptions) {
  const {
    name, bucketMs, callTimeoutMs, failClosed, flushAfterFailures, flushMs, halfOpenProbes, ignore, isFailure, isResultFailure,
    maxOpenMs, openJitterPercent, openMs, probeLeaseMs, refreshMs, slowCallMs, tableName, minimumCalls, failureRateThreshold,
    slowCallRateThreshold,
  } = o;
  const clock: Clock = o.clock ?? Date;
  const metrics = breakerMetrics(name, o.metrics);
  const listeners: Partial<Record<BreakerEventName, Array<(payload: never) => void>>> = {};
  const outsideGrant = circuitOutsideGrantWarning(name);
  if (outsideGrant) console.warn(outsideGrant);
  const store = breakerStore(o.client ? async () => o.client! : () => sharedDynamoDbClient(o.storeTimeoutMs), o);

  /** The circuit as this instance last saw it in the store, and when. */
  let seen: CircuitView | undefined;
  let syncedAt = -Infinity;
  // A random phase: instances that start together (a deploy, a scale-out) flush spread over flushMs, not in one burst.
  let flushedAt = clock.now() - Math.random() * flushMs;
  const pending = pendingOutcomes();
  /** Calls before this time are rejected without asking the store (OPEN, or every probe permit taken). */
  let rejectUntil = 0;
  let rejectReason: RejectReason = 'open';
  let storeDownUntil = 0;
  let storeFailures = 0;
  let inflight: Promise<void> | undefined;
  /** This instance's own breaker while the store is unreachable (fail-open), else undefined. */
  let ownBreaker: LocalBreaker | undefined;
  /** Permanent store error kinds already logged, so the log says it once per kind, not once per call. */
  const reportedStoreErrors = new Set<string>();
  /** Token of this instance's last open write until a read or its reply shows the outcome. */
  let unconfirmedOpen: string | undefined;
  /** This instance's flush mark attribute, and how many more flushes carry it. */
  const markAttribute = `m_${uuid().slice(0, 8)}`;
  let markedFlushesLeft = 0;
  let lastMarkAt = 0;
  /** A marked flush whose reply was lost: sent again, same mark, until DynamoDB answers. */
  let inDoubt: Flush | undefined;
  /** A flush past its deadline whose reply is still awaited: no other flush is sent meanwhile. */
  let lateFlush: Promise<void> | undefined;

  if (o.onStateChange) on('stateChange', o.onStateChange);
  return { execute, state, cachedState: () => seen?.st, on, off };

  /**
   * Runs `fn` through the breaker. `fn` receives an AbortSignal that fires after `callTimeoutMs`.
   * Throws `CircuitOpenError` when the call is rejected, and whatever `fn` threw when it fails,
   * unless a fallback is configured. Pass the Lambda context (or `remainingTimeMs`) so a half-open
   * probe's lease never outlives the invocation.
   */
  async function execute<T>(fn: (signal: AbortSignal) => T | Promise<T>, options?: ExecuteOptions<T> | LambdaContextLike): Promise<T> {
    if (typeof fn !== 'function') badCall(`execute() needs a function, got ${typeof fn}`);
    // The second argument: the Lambda context itself, or options (checked).
    let remainingTimeMs: number | undefined;
    let callFallback: ((error: unknown) => T | Promise<T>) | undefined;
    if (typeof (options as LambdaContextLike)?.getRemainingTimeInMillis === 'function') {
      remainingTimeMs = (options as LambdaContextLike).getRemainingTimeInMillis();
    } else if (options) {
      const given = options as ExecuteOptions<T>;
      remainingTimeMs = given.remainingTimeMs ?? given.context?.getRemainingTimeInMillis();
      callFallback = given.fallback;
      if (remainingTimeMs !== undefined && !(typeof remainingTimeMs === 'number' && remainingTimeMs >= 0)) {
        badCall(`remainingTimeMs must be a number >= 0, got ${String(remainingTimeMs)}`);
      }
      if (callFallback !== undefined && typeof callFallback !== 'function') badCall(`fallback must be a function, got ${typeof callFallback}`);
    }
    const fallback = callFallback ?? o.fallback as typeof callFallback;
    const now = clock.now();
    if (now < rejectUntil) return reject(rejectReason, now, fallback);

    let probe: ProbePermit | undefined;
    let local = false;
    let refreshing: Promise<boolean> | undefined;
    const known = seen?.st;
    if (known !== CLOSED || now - syncedAt >= refreshMs || now < storeDownUntil) {
      if (known === CLOSED && now >= storeDownUntil && !failClosed && !ownBreaker) {
        // A due refresh of a CLOSED circuit overlaps the call instead of delaying it: the call is admitted on
        // state at most one round trip staler than refreshMs. fail-closed waits, so it never admits unverified,
        // and so does an instance that lost the store, so its local breaker judges the call.
        refreshing = sync(now);
      } else {
        const admission = await admit(now, remainingTimeMs);
        if (admission === LOCAL_ADMIT) local = true;
        else if (typeof admission === 'string') return reject(admission, now, fallback);
        else probe = admission;
      }
    }

    let value: T | undefined;
    let error: unknown;
    let failed = false;
    try {
      value = await run(fn);
    } catch (e) {
      error = e;
      failed = true;
    }
    const end = clock.now();
    if (refreshing) await refreshing;
    const slow = end - now >= (slowCallMs ?? Infinity);
    const timedOut = error instanceof CallTimeoutError;
    const failure = failed ? timedOut || ask(isFailure, error, true) : ask(isResultFailure, value, false);
    if (failed && !timedOut && ask(ignore, error, false)) {
      // Neither success nor failure: nothing is counted; a probe's permit comes back when its lease ends.
      if (local) ownBreaker?.release();
    } else {
      if (local) ownBreaker?.record(failure || slow, end);
      if (probe) await finishProbe(probe, !failure && !slow, end);
      else await record(failure, slow, end);
    }

    if (!failed) return value as T;
    if (failure && fallback) return fallback(error);
    throw error;
  }

  /**
   * The circuit's state, read consistently from the store. An OPEN circuit whose open period has
   * ended reports HALF_OPEN (the next call will probe). Throws `BreakerStoreError` if the store fails.
   */
  async function state(): Promise<CircuitState> {
    let view: CircuitView;
    try {
      view = await store.get();
    } catch (e) {
      throw new BreakerStoreError(name, e);
    }
    const now = clock.now();
    adopt(view, now);
    return view.st === OPEN && now >= view.ou ? HALF_OPEN : view.st;
  }

  function on<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): void {
    (listeners[event] ??= []).push(listener as never);
  }

  function off<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): void {
    listeners[event] = listeners[event]?.filter((l) => l !== listener);
  }

  function badCall(problem: string): never {
    throw new TypeError(`${breakerLabel(name)}: ${problem}`);
  }

  /** Listeners must not break the protected call, so their errors are swallowed. */
  function emit<E extends BreakerEventName>(event: E, payload: BreakerEvents[E]): void {
    for (const listener of listeners[event] ?? []) {
      try {
        (listener as (p: BreakerEvents[E]) => void)(payload);
      } catch {
        // a faulty listener must not turn a successful protected call into a failure
      }
    }
  }

  /** Runs the protected function with its AbortSignal, enforcing the call timeout when there is one. */
  async function run<T>(fn: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    const timeoutMs = callTimeoutMs;
    if (timeoutMs === undefined) {
      if (++idleSignalUses > SHARED_SIGNAL_USES) {
        idleSignalUses = 1;
        idleSignal = new AbortController().signal;
      }
      return fn(idleSignal);
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new CallTimeoutError(name, timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      return await Promise.race([fn(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Decides whether a call may run; returns a probe permit, undefined (a normal call) or why not. */
  async function admit(now: number, remainingTimeMs: number | undefined): Promise<Admission> {
    if (now < storeDownUntil || ((seen === undefined || now - syncedAt >= refreshMs) && !(await sync(now)))) {
      return storePolicy(now);
    }
    const view = seen!;
    if (view[CONTROL] === 'force-open') return 'forced-open';
    if (view.st === CLOSED || view[CONTROL]) return undefined; // force-closed, disabled: admit
    return acquireProbe(now, remainingTimeMs);
  }

  /**
   * Admission while the store is unreachable: fail-closed rejects; fail-open asks this instance's local
   * breaker, seeded with the last shared state, so an outage during OPEN or HALF_OPEN never admits everything.
   */
  function storePolicy(now: number): typeof LOCAL_ADMIT | RejectReason {
    if (failClosed) return 'store-unavailable';
    if (!ownBreaker) {
      ownBreaker = localBreaker(o, seen, now);
      metrics.emit(now, { [BREAKER_METRIC.DEGRADED]: 1 });
    }
    return ownBreaker.admit(now) ? LOCAL_ADMIT : 'local-open';
  }

  /** Takes one of the fleet-wide probe permits, or rejects locally until one may free up. */
  async function acquireProbe(now: number, remainingTimeMs: number | undefined): Promise<Admission> {
    const probes = halfOpenProbes;
    const lease = Math.min(remainingTimeMs ?? Infinity, callTimeoutMs ?? Infinity, probeLeaseMs);
    for (let attempt = 0; ; attempt++) {
      const view = seen!;
      if (view.st === CLOSED) return undefined;
      if (view.st === OPEN && now < view.ou) return 'open';
      if (attempt > probes) break;
      if (view.st === HALF_OPEN && allProbesDone(view, probes)) {
        // the closer crashed between the last probe's success and the close: finish its job
        if (!(await guard(() => close(view, now)))) return storePolicy(now);
        continue;
      }
      const free = freeSlots(view, now, probes);
      if (free.length === 0) break;
      const slot = free[Math.floor(Math.random() * free.length)];
      const token = uuid();
      let next: CircuitView | undefined;
      try {
        next = await store.acquire(slot, view.ver, now, now + lease, token);
      } catch (e) {
        // Not a local admit: a throttled or lost permit write may have taken the slot, and N instances
        // admitting on their own would be N probes. The permit is asked for again after the guard pause.
        storeFailed(e);
        return failClosed ? 'store-unavailable' : 'half-open';
      }
      if (next) {
        adopt(next, now);
        return [slot, token, view.ver];
      }
      if (!(await reload(now))) return storePolicy(now);
    }
    rejectUntil = Math.min(nextLeaseExpiry(seen!, probes), now + refreshMs);
    return (rejectReason = 'half-open');
  }

  async function finishProbe([slot, token, version]: ProbePermit, succeeded: boolean, now: number): Promise<void> {
    await guard(async () => {
      const view = seen!;
      if (!succeeded) return open(HALF_OPEN, version, view.ver === version ? view.oc : 0, now);
      const next = await store.probeSucceeded(slot, version, token);
      // undefined: our lease expired and was reclaimed, or the circuit moved on: our result no longer counts
      if (!next) return void (await reload(now));
      adopt(next, now);
      if (next.st === HALF_OPEN && allProbesDone(next, halfOpenProbes)) await close(next, now);
    });
  }

  async function record(failure: boolean, slow: boolean, now: number): Promise<void> {
    if (seen?.[CONTROL] === 'force-closed') return; // counts nothing; refreshes still learn when it ends
    pending.add(bucketOf(now, bucketMs), +!failure, +failure, +slow);
    if (now < storeDownUntil || inflight) return;
    // Paced by flushMs, blind to outcomes: a failure-triggered flush would bring the store the unlucky
    // instances' batches first, and writes would grow with the error rate. flushAfterFailures opts in to
    // early flushes of failure runs (see its doc).
    const [calls, failures] = pending.totals();
    if ((failures >= (flushAfterFailures ?? Infinity) && failures * 100 >= OUTAGE_FAILURE_PERCENT * calls)
      || now - flushedAt >= flushMs) {
      await sync(now);
    }
  }

  /**
   * One store round trip (single-flight per instance): flushes pending outcomes when there are any,
   * otherwise reads the item; either way the answer is the fleet-wide item, from which it may open.
   */
  async function sync(now: number): Promise<boolean> {
    await (inflight ??= syncOnce(now).finally(() => {
      inflight = undefined;
    }));
    return seen !== undefined && clock.now() >= storeDownUntil;
  }

  async function syncOnce(now: number): Promise<void> {
    const flush = nextFlush(now);
    let view: CircuitView | undefined;
    try {
      if (flush) {
        const expired = seen ? expiredAttributes(seen, now, bucketMs) : [];
        view = await store.flush(flush.buckets, seen?.ver ?? 0, now, expired, flush.mark)
          ?? await store.get(); // a failed mark condition: this very flush was applied before
        flushApplied(flush, now);
      } else {
        view = await store.get();
      }
    } catch (e) {
      if (flush) flushFailed(flush, e, now);
      storeFailed(e);
      return;
    }
    adopt(view, now);
    await guard(() => openIfTripped(now));
    if (flush) observe(now);
  }

  /**
   * What the next sync writes: nothing while a late flush is still awaited; the flush in doubt, unchanged,
   * until the store answers it; otherwise the pending outcomes, marked while replies have lately been lost.
   */
  function nextFlush(now: number): Flush | undefined {
    if (lateFlush) return undefined;
    const current = bucketOf(now, bucketMs);
    if (inDoubt) {
      const buckets = inDoubt.buckets.filter((b) => b.bucket > current - BUCKETS_PER_WINDOW);
      if (buckets.length > 0) return { buckets, mark: inDoubt.mark };
      inDoubt = undefined; // its buckets left the window: whether or not it was applied no longer matters
    }
    const buckets = pending.take(current);
    if (buckets.length === 0) return undefined;
    let mark: FlushMark | undefined;
    if (markedFlushesLeft > 0) {
      lastMarkAt = Math.max(now, lastMarkAt + 1);
      mark = { attribute: markAttribute, at: lastMarkAt };
    }
    return { buckets, mark };
  }

  function flushApplied({ mark }: Flush, now: number): void {
    flushedAt = now;
    if (!mark) return;
    if (mark === inDoubt?.mark) inDoubt = undefined;
    else markedFlushesLeft--;
  }

  /**
   * A flush that DynamoDB refused goes back to pending (or, in doubt already, stays so). One past its deadline
   * keeps being awaited in the background: its late reply says whether it was applied. Only a reply that is
   * lost leaves it unknown: a marked flush is then sent again as it was (its mark makes a second apply a
   * no-op); an unmarked one is dropped — counts are never doubled, at worst one flush is lost — and the next
   * MARKED_FLUSHES flushes are marked.
   */
  function flushFailed(flush: Flush, error: unknown, now: number): void {
    if (error instanceof StoreDeadlineError && error.late) {
      lateFlush = error.late.then(
        async (view) => {
          flushApplied(flush, now);
          if (!view || syncedAt >= now) return; // a newer read already told us more
          adopt(view, now, false, true);
          await guard(() => openIfTripped(now));
        },
        (lateError) => flushFailed(flush, lateError, now),
      ).finally(() => {
        lateFlush = undefined;
      });
    } else if (!flush.mark || flush.mark !== inDoubt?.mark) {
      if (!mayHaveApplied(error)) pending.restore(flush.buckets);
      else if (flush.mark) inDoubt = flush;
      else markedFlushesLeft = MARKED_FLUSHES;
    }
  }

  /**
   * Opens on evidence that represents the fleet: the settled buckets of the window (see windowCounts) at or
   * over a threshold. Without waiting for them only on an outage: at least minimumCalls recent (unsettled)
   * calls of which at least OUTAGE_FAILURE_PERCENT failed, which the first flushes of a fleet at a partial
   * failure rate practically never show (at 40 % failures, 9 of 10 fail with probability 0.2 %).
   */
  async function openIfTripped(now: number): Promise<void> {
    const view = seen!;
    if (view.st !== CLOSED || view[CONTROL]) return; // an operator decides, not the counts
    const [allCalls, allFailures] = windowCounts(view, now, bucketMs);
    const [calls, failures, slow] = windowCounts(view, now, bucketMs, now - flushMs);
    const trips = (n: number, total: number, percent: number): boolean => total >= minimumCalls && n * 100 >= percent * total;
    if (trips(allFailures - failures, allCalls - calls, Math.max(OUTAGE_FAILURE_PERCENT, failureRateThreshold))
      || trips(failures, calls, failureRateThreshold)
      || (slowCallMs !== undefined && trips(slow, calls, slowCallRateThreshold))) {
      await open(CLOSED, view.ver, view.oc, now);
    }
  }

  /** Publishes the fleet-wide state and settled rates this instance just learned from its flush. */
  function observe(now: number): void {
    const view = seen!;
    const [calls, failures, slow] = windowCounts(view, now, bucketMs, now - flushMs);
    const percent = (n: number) => (calls > 0 ? Math.round((n * 1000) / calls) / 10 : undefined);
    metrics.emit(now, {
      [BREAKER_METRIC.STATE]: [CLOSED, HALF_OPEN, OPEN].indexOf(view.st),
      [BREAKER_METRIC.FAILURE_RATE]: percent(failures),
      [BREAKER_METRIC.SLOW_CALL_RATE]: slowCallMs === undefined ? undefined : percent(slow),
    });
  }

  /** Conditional open: one writer fleet-wide wins; losers re-read the item the winner wrote. */
  async function open(from: CircuitState, version: number, openCount: number, now: number): Promise<void> {
    const period = Math.min(maxOpenMs, openMs * 2 ** openCount);
    const until = now + Math.round(period * (1 + (Math.random() * openJitterPercent) / 100));
    // if the reply is lost, a later read tells whether this write opened it
    const token = (unconfirmedOpen = uuid());
    await adoptOrReload(await store.open(from, version, now, until, openCount + 1, token), now);
  }

  async function close(view: CircuitView, now: number): Promise<void> {
    await adoptOrReload(await store.close(view.ver, now), now);
  }

  /** Adopts the item a transition of ours wrote, or re-reads it when another writer won. */
  async function adoptOrReload(written: CircuitView | undefined, now: number): Promise<void> {
    if (written) adopt(written, now, true);
    else await reload(now);
  }

  async function reload(now: number): Promise<boolean> {
    return guard(async () => adopt(await store.get(), now));
  }

  /** Runs store work; a store failure switches to the failure policy instead of reaching the caller. */
  async function guard(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      storeFailed(e);
      return false;
    }
  }

  function storeFailed(error: unknown): void {
    const now = clock.now();
    metrics.emit(now, { [BREAKER_METRIC.STORE_ERRORS]: 1 });
    const fix = permanentStoreErrorFix(error, name, tableName);
    const kind = (error as Error | null)?.name ?? 'Error';
    if (fix && !reportedStoreErrors.has(kind)) {
      reportedStoreErrors.add(kind);
      console.error(`${breakerLabel(name)}: the breaker store fails every request (${kind}: ${(error as Error).message}); until it is fixed the circuit follows onStoreFailure (${failClosed ? 'fail-closed' : 'fail-open'}). Fix: ${fix}.`);
    }
    storeDownUntil = now + Math.min(STORE_GUARD_MS[1], STORE_GUARD_MS[0] * 2 ** storeFailures++);
    emit('storeError', error);
  }

  /** Takes `view` as the circuit's state; `late` (a reply after its deadline) leaves the store guard as it is. */
  function adopt(view: CircuitView, now: number, wroteIt = false, late = false): void {
    const from = seen?.st ?? CLOSED;
    const to = view.st;
    const byThisInstance = wroteIt || (view.by !== undefined && view.by === unconfirmedOpen);
    unconfirmedOpen = undefined;
    seen = view;
    syncedAt = now;
    if (!late) {
      storeFailures = storeDownUntil = 0;
      ownBreaker = undefined;
    }
    // Rejections need no store request, but at most for refreshMs: an operator's override reaches every
    // instance within one refresh, an open circuit included.
    // Each instance ends its rejections at its own random point of a short spread, so the end of an open
    // period (or a recheck) is not a burst of reads and permit writes from the whole fleet in one instant.
    const spread = openJitterPercent > 0 ? Math.random() * Math.min(refreshMs, END_OF_OPEN_SPREAD_MS) : 0;
    const recheckAt = now + Math.max(refreshMs, MIN_RECHECK_WHILE_REJECTING_MS) + spread;
    const forcedOpen = view[CONTROL] === 'force-open';
    rejectUntil = forcedOpen ? recheckAt : to === OPEN && !view[CONTROL] ? Math.min(view.ou + spread, recheckAt) : 0;
    rejectReason = forcedOpen ? 'forced-open' : 'open';
    if (from === to) return;
    const change = { circuit: name, from, to, version: view.ver, byThisInstance, at: now };
    if (byThisInstance && to !== HALF_OPEN) metrics.emit(now, { [to === OPEN ? BREAKER_METRIC.OPENED : BREAKER_METRIC.CLOSED]: 1 });
    metrics.flushRejections(now);
    emit('stateChange', change);
    emit(to === OPEN ? 'open' : to === CLOSED ? 'close' : 'halfOpen', change);
  }

  function reject<T>(reason: RejectReason, now: number, fallback: ((error: unknown) => T | Promise<T>) | undefined): Promise<T> {
    const error = new CircuitOpenError(name, seen?.st ?? CLOSED, reason, reason === 'store-unavailable' ? storeDownUntil : rejectUntil || undefined);
    metrics.rejected(now);
    emit('reject', error);
    return fallback ? Promise.resolve(fallback(error)) : Promise.reject(error);
  }
}
