import { BREAKER_CONTROL_ATTRIBUTE as CONTROL, BREAKER_METRIC } from '../../contract';
import type { BreakerEventName, BreakerEvents } from './breaker-events';
import { BreakerStore, type FlushMark, StoreDeadlineError } from './breaker-store';
import { allProbesDone, bucketOf, type CircuitView, expiredAttributes, freeSlots, nextLeaseExpiry, windowCounts } from './circuit-item';
import type { CircuitState } from './circuit-state';
import { BreakerStoreError, CallTimeoutError, CircuitOpenError, type RejectReason } from './errors';
import type { ExecuteOptions, LambdaContextLike } from './execute-options';
import { LocalBreaker } from './local-breaker';
import { BreakerMetrics } from './metrics';
import { breakerLabel, BUCKETS_PER_WINDOW, type CircuitBreakerOptions, type Clock, type ResolvedOptions, resolveOptions } from './options';
import { type BucketCounts, PendingOutcomes } from './pending-outcomes';
import { sharedDynamoDbClient } from './shared-client';
import { circuitOutsideGrantWarning, permanentStoreErrorFix } from './store-diagnosis';
import { mayHaveApplied } from './write-outcome';

/** A probe permit: [slot, lease token, version it was taken at]. */
type ProbePermit = [number, string, number];

/** A probe permit, a normal call (undefined), a call admitted by the local breaker, or why not. */
type Admission = ProbePermit | undefined | typeof LOCAL_ADMIT | RejectReason;

/** Admission by this instance's local breaker while the store is unreachable (see LocalBreaker). */
const LOCAL_ADMIT = 'local-admit';

/** Failure rate of recent, not yet settled calls that opens at once: an outage, not a partial failure rate. */
const OUTAGE_FAILURE_PERCENT = 90;

/** Shortest interval between store reads of an instance that rejects (OPEN, forced open). */
const MIN_RECHECK_WHILE_REJECTING_MS = 1_000;

/** Longest random delay an instance adds to the end of its rejections (see #adopt). */
const END_OF_OPEN_SPREAD_MS = 1_000;

/** Flushes an instance marks after one lost a reply (see #flushFailed); lost replies come in runs. */
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
 * A circuit breaker whose state is shared by every Lambda instance through one DynamoDB item.
 *
 * Create it at module scope: its cache of the circuit's state is what keeps DynamoDB requests
 * proportional to instances rather than calls. The hot path (CLOSED, state fresh) and rejections
 * while OPEN touch no network; outcomes are counted locally and flushed with one atomic ADD,
 * inside `execute`, because Lambda freezes the environment once the handler returns.
 */
export class CircuitBreaker {
  /** The circuit name (partition key of its item). */
  readonly name: string;

  readonly #o: ResolvedOptions;
  readonly #store: BreakerStore;
  readonly #clock: Clock;
  readonly #metrics: BreakerMetrics;
  readonly #listeners: Partial<Record<BreakerEventName, Array<(payload: never) => void>>> = {};

  #view: CircuitView | undefined;
  #syncedAt = -Infinity;
  #flushedAt: number;
  readonly #pending = new PendingOutcomes();
  /** Calls before this time are rejected without asking the store (OPEN, or every probe permit taken). */
  #rejectUntil = 0;
  #rejectReason: RejectReason = 'open';
  #storeDownUntil = 0;
  #storeFailures = 0;
  #inflight: Promise<void> | undefined;
  /** This instance's own breaker while the store is unreachable (fail-open), else undefined. */
  #local: LocalBreaker | undefined;
  /** Permanent store error kinds already logged, so the log says it once per kind, not once per call. */
  readonly #reportedStoreErrors = new Set<string>();
  /** Token of this instance's last open write until a read or its reply shows the outcome. */
  #unconfirmedOpen: string | undefined;
  /** This instance's flush mark attribute, and how many more flushes carry it. */
  readonly #markAttribute = `m_${uuid().slice(0, 8)}`;
  #markedFlushesLeft = 0;
  #lastMarkAt = 0;
  /** A marked flush whose reply was lost: sent again, same mark, until DynamoDB answers. */
  #inDoubt: Flush | undefined;
  /** A flush past its deadline whose reply is still awaited: no other flush is sent meanwhile. */
  #lateFlush: Promise<void> | undefined;

  constructor(options: CircuitBreakerOptions) {
    const o = (this.#o = resolveOptions(options));
    this.name = o.name;
    this.#clock = o.clock ?? Date;
    this.#metrics = new BreakerMetrics(o.name, o.metrics);
    if (o.onStateChange) this.on('stateChange', o.onStateChange);
    const outsideGrant = circuitOutsideGrantWarning(this.name);
    if (outsideGrant) console.warn(outsideGrant);
    this.#store = new BreakerStore(o.client ? async () => o.client! : () => sharedDynamoDbClient(o.storeTimeoutMs), o);
    this.#flushedAt = this.#clock.now();
  }

  /**
   * Runs `fn` through the breaker. `fn` receives an AbortSignal that fires after `callTimeoutMs`.
   * Throws `CircuitOpenError` when the call is rejected, and whatever `fn` threw when it fails,
   * unless a fallback is configured. Pass the Lambda context (or `remainingTimeMs`) so a half-open
   * probe's lease never outlives the invocation.
   */
  async execute<T>(fn: (signal: AbortSignal) => T | Promise<T>, options?: ExecuteOptions<T> | LambdaContextLike): Promise<T> {
    if (typeof fn !== 'function') this.#badCall(`execute() needs a function, got ${typeof fn}`);
    // The second argument: the Lambda context itself, or options (checked).
    let remainingTimeMs: number | undefined;
    let callFallback: ((error: unknown) => T | Promise<T>) | undefined;
    if (typeof (options as LambdaContextLike)?.getRemainingTimeInMillis === 'function') {
      remainingTimeMs = (options as LambdaContextLike).getRemainingTimeInMillis();
    } else if (options) {
      const o = options as ExecuteOptions<T>;
      remainingTimeMs = o.remainingTimeMs ?? o.context?.getRemainingTimeInMillis();
      callFallback = o.fallback;
      if (remainingTimeMs !== undefined && !(typeof remainingTimeMs === 'number' && remainingTimeMs >= 0)) {
        this.#badCall(`remainingTimeMs must be a number >= 0, got ${String(remainingTimeMs)}`);
      }
      if (callFallback !== undefined && typeof callFallback !== 'function') this.#badCall(`fallback must be a function, got ${typeof callFallback}`);
    }
    const fallback = callFallback ?? this.#o.fallback as typeof callFallback;
    const now = this.#clock.now();
    if (now < this.#rejectUntil) return this.#reject(this.#rejectReason, now, fallback);

    let probe: ProbePermit | undefined;
    let local = false;
    let refreshing: Promise<boolean> | undefined;
    const state = this.#view?.st;
    if (state !== 'CLOSED' || now - this.#syncedAt >= this.#o.refreshMs || now < this.#storeDownUntil) {
      if (state === 'CLOSED' && now >= this.#storeDownUntil && !this.#o.failClosed && !this.#local) {
        // A due refresh of a CLOSED circuit overlaps the call instead of delaying it: the call is admitted on
        // state at most one round trip staler than refreshMs. fail-closed waits, so it never admits unverified,
        // and so does an instance that lost the store, so its local breaker judges the call.
        refreshing = this.#sync(now);
      } else {
        const admission = await this.#admit(now, remainingTimeMs);
        if (admission === LOCAL_ADMIT) local = true;
        else if (typeof admission === 'string') return this.#reject(admission, now, fallback);
        else probe = admission;
      }
    }

    let value: T | undefined;
    let error: unknown;
    let failed = false;
    try {
      value = await this.#run(fn);
    } catch (e) {
      error = e;
      failed = true;
    }
    const end = this.#clock.now();
    if (refreshing) await refreshing;
    const slow = end - now >= (this.#o.slowCallMs ?? Infinity);
    const timedOut = error instanceof CallTimeoutError;
    const failure = failed ? timedOut || ask(this.#o.isFailure, error, true) : ask(this.#o.isResultFailure, value, false);
    if (failed && !timedOut && ask(this.#o.ignore, error, false)) {
      // Neither success nor failure: nothing is counted; a probe's permit comes back when its lease ends.
      if (local) this.#local?.release();
    } else {
      if (local) this.#local?.record(failure || slow, end);
      if (probe) await this.#finishProbe(probe, !failure && !slow, end);
      else await this.#record(failure, slow, end);
    }

    if (!failed) return value as T;
    if (failure && fallback) return fallback(error);
    throw error;
  }

  /**
   * The circuit's state, read consistently from the store. An OPEN circuit whose open period has
   * ended reports HALF_OPEN (the next call will probe). Throws `BreakerStoreError` if the store fails.
   */
  async state(): Promise<CircuitState> {
    let view: CircuitView;
    try {
      view = await this.#store.get();
    } catch (e) {
      throw new BreakerStoreError(this.name, e);
    }
    const now = this.#clock.now();
    this.#adopt(view, now);
    return view.st === 'OPEN' && now >= view.ou ? 'HALF_OPEN' : view.st;
  }

  /** The state this instance last learned from the store (no I/O); undefined before the first read. */
  get cachedState(): CircuitState | undefined {
    return this.#view?.st;
  }

  /** Subscribes to an event (`stateChange`, `open`, `halfOpen`, `close`, `reject`, `storeError`). */
  on<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): this {
    (this.#listeners[event] ??= []).push(listener as never);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): this {
    this.#listeners[event] = this.#listeners[event]?.filter((l) => l !== listener);
    return this;
  }

  #badCall(problem: string): never {
    throw new TypeError(`${breakerLabel(this.name)}: ${problem}`);
  }

  /** Listeners must not break the protected call, so their errors are swallowed. */
  #emit<E extends BreakerEventName>(event: E, payload: BreakerEvents[E]): void {
    for (const listener of this.#listeners[event] ?? []) {
      try {
        (listener as (p: BreakerEvents[E]) => void)(payload);
      } catch {
        // a faulty listener must not turn a successful protected call into a failure
      }
    }
  }

  /** Runs the protected function with its AbortSignal, enforcing the call timeout when there is one. */
  async #run<T>(fn: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    const timeoutMs = this.#o.callTimeoutMs;
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
        const error = new CallTimeoutError(this.name, timeoutMs);
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
  async #admit(now: number, remainingTimeMs: number | undefined): Promise<Admission> {
    if (now < this.#storeDownUntil || ((this.#view === undefined || now - this.#syncedAt >= this.#o.refreshMs) && !(await this.#sync(now)))) {
      return this.#storePolicy(now);
    }
    const view = this.#view!;
    if (view[CONTROL] === 'force-open') return 'forced-open';
    if (view.st === 'CLOSED' || view[CONTROL]) return undefined; // force-closed, disabled: admit
    return this.#acquireProbe(now, remainingTimeMs);
  }

  /**
   * Admission while the store is unreachable: fail-closed rejects; fail-open asks this instance's local
   * breaker, seeded with the last shared state, so an outage during OPEN or HALF_OPEN never admits everything.
   */
  #storePolicy(now: number): typeof LOCAL_ADMIT | RejectReason {
    if (this.#o.failClosed) return 'store-unavailable';
    if (!this.#local) {
      this.#local = new LocalBreaker(this.#o, this.#view, now);
      this.#metrics.emit(now, { [BREAKER_METRIC.DEGRADED]: 1 });
    }
    return this.#local.admit(now) ? LOCAL_ADMIT : 'local-open';
  }

  /** Takes one of the fleet-wide probe permits, or rejects locally until one may free up. */
  async #acquireProbe(now: number, remainingTimeMs: number | undefined): Promise<Admission> {
    const probes = this.#o.halfOpenProbes;
    const lease = Math.min(remainingTimeMs ?? Infinity, this.#o.callTimeoutMs ?? Infinity, this.#o.probeLeaseMs);
    for (let attempt = 0; ; attempt++) {
      const view = this.#view!;
      if (view.st === 'CLOSED') return undefined;
      if (view.st === 'OPEN' && now < view.ou) return 'open';
      if (attempt > probes) break;
      if (view.st === 'HALF_OPEN' && allProbesDone(view, probes)) {
        // the closer crashed between the last probe's success and the close: finish its job
        if (!(await this.#guard(() => this.#close(view, now)))) return this.#storePolicy(now);
        continue;
      }
      const free = freeSlots(view, now, probes);
      if (free.length === 0) break;
      const slot = free[Math.floor(Math.random() * free.length)];
      const token = uuid();
      let next: CircuitView | undefined;
      try {
        next = await this.#store.acquire(slot, view.ver, now, now + lease, token);
      } catch (e) {
        // Not a local admit: a throttled or lost permit write may have taken the slot, and N instances
        // admitting on their own would be N probes. The permit is asked for again after the guard pause.
        this.#storeFailed(e);
        return this.#o.failClosed ? 'store-unavailable' : 'half-open';
      }
      if (next) {
        this.#adopt(next, now);
        return [slot, token, view.ver];
      }
      if (!(await this.#reload(now))) return this.#storePolicy(now);
    }
    this.#rejectUntil = Math.min(nextLeaseExpiry(this.#view!, probes), now + this.#o.refreshMs);
    return (this.#rejectReason = 'half-open');
  }

  async #finishProbe([slot, token, version]: ProbePermit, succeeded: boolean, now: number): Promise<void> {
    await this.#guard(async () => {
      const view = this.#view!;
      if (!succeeded) return this.#open('HALF_OPEN', version, view.ver === version ? view.oc : 0, now);
      const next = await this.#store.probeSucceeded(slot, version, token);
      // undefined: our lease expired and was reclaimed, or the circuit moved on: our result no longer counts
      if (!next) return void (await this.#reload(now));
      this.#adopt(next, now);
      if (next.st === 'HALF_OPEN' && allProbesDone(next, this.#o.halfOpenProbes)) await this.#close(next, now);
    });
  }

  async #record(failure: boolean, slow: boolean, now: number): Promise<void> {
    if (this.#view?.[CONTROL] === 'force-closed') return; // counts nothing; refreshes still learn when it ends
    this.#pending.add(bucketOf(now, this.#o.bucketMs), +!failure, +failure, +slow);
    if (now < this.#storeDownUntil || this.#inflight) return;
    // Paced by flushMs, blind to outcomes: a failure-triggered flush would bring the store the unlucky
    // instances' batches first, and writes would grow with the error rate. flushAfterFailures opts in to
    // early flushes of failure runs (see its doc).
    const [calls, failures] = this.#pending.totals();
    if ((failures >= (this.#o.flushAfterFailures ?? Infinity) && failures * 100 >= OUTAGE_FAILURE_PERCENT * calls)
      || now - this.#flushedAt >= this.#o.flushMs) {
      await this.#sync(now);
    }
  }

  /**
   * One store round trip (single-flight per instance): flushes pending outcomes when there are any,
   * otherwise reads the item; either way the answer is the fleet-wide item, from which it may open.
   */
  async #sync(now: number): Promise<boolean> {
    await (this.#inflight ??= this.#syncOnce(now).finally(() => {
      this.#inflight = undefined;
    }));
    return this.#view !== undefined && this.#clock.now() >= this.#storeDownUntil;
  }

  async #syncOnce(now: number): Promise<void> {
    const flush = this.#nextFlush(now);
    let view: CircuitView | undefined;
    try {
      if (flush) {
        const expired = this.#view ? expiredAttributes(this.#view, now, this.#o.bucketMs) : [];
        view = await this.#store.flush(flush.buckets, this.#view?.ver ?? 0, now, expired, flush.mark)
          ?? await this.#store.get(); // a failed mark condition: this very flush was applied before
        this.#flushApplied(flush, now);
      } else {
        view = await this.#store.get();
      }
    } catch (e) {
      if (flush) this.#flushFailed(flush, e, now);
      this.#storeFailed(e);
      return;
    }
    this.#adopt(view, now);
    await this.#guard(() => this.#openIfTripped(now));
    if (flush) this.#observe(now);
  }

  /**
   * What the next sync writes: nothing while a late flush is still awaited; the flush in doubt, unchanged,
   * until the store answers it; otherwise the pending outcomes, marked while replies have lately been lost.
   */
  #nextFlush(now: number): Flush | undefined {
    if (this.#lateFlush) return undefined;
    const current = bucketOf(now, this.#o.bucketMs);
    if (this.#inDoubt) {
      const buckets = this.#inDoubt.buckets.filter((b) => b.bucket > current - BUCKETS_PER_WINDOW);
      if (buckets.length > 0) return { buckets, mark: this.#inDoubt.mark };
      this.#inDoubt = undefined; // its buckets left the window: whether or not it was applied no longer matters
    }
    const buckets = this.#pending.take(current);
    if (buckets.length === 0) return undefined;
    let mark: FlushMark | undefined;
    if (this.#markedFlushesLeft > 0) {
      this.#lastMarkAt = Math.max(now, this.#lastMarkAt + 1);
      mark = { attribute: this.#markAttribute, at: this.#lastMarkAt };
    }
    return { buckets, mark };
  }

  #flushApplied({ mark }: Flush, now: number): void {
    this.#flushedAt = now;
    if (!mark) return;
    if (mark === this.#inDoubt?.mark) this.#inDoubt = undefined;
    else this.#markedFlushesLeft--;
  }

  /**
   * A flush that DynamoDB refused goes back to pending (or, in doubt already, stays so). One past its deadline
   * keeps being awaited in the background: its late reply says whether it was applied. Only a reply that is
   * lost leaves it unknown: a marked flush is then sent again as it was (its mark makes a second apply a
   * no-op); an unmarked one is dropped — counts are never doubled, at worst one flush is lost — and the next
   * MARKED_FLUSHES flushes are marked.
   */
  #flushFailed(flush: Flush, error: unknown, now: number): void {
    if (error instanceof StoreDeadlineError && error.late) {
      this.#lateFlush = error.late.then(
        async (view) => {
          this.#flushApplied(flush, now);
          if (!view || this.#syncedAt >= now) return; // a newer read already told us more
          this.#adopt(view, now, false, true);
          await this.#guard(() => this.#openIfTripped(now));
        },
        (lateError) => this.#flushFailed(flush, lateError, now),
      ).finally(() => {
        this.#lateFlush = undefined;
      });
    } else if (!flush.mark || flush.mark !== this.#inDoubt?.mark) {
      if (!mayHaveApplied(error)) this.#pending.restore(flush.buckets);
      else if (flush.mark) this.#inDoubt = flush;
      else this.#markedFlushesLeft = MARKED_FLUSHES;
    }
  }

  /**
   * Opens on evidence that represents the fleet: the settled buckets of the window (see windowCounts) at or
   * over a threshold. Without waiting for them only on an outage: at least minimumCalls recent (unsettled)
   * calls of which at least OUTAGE_FAILURE_PERCENT failed, which the first flushes of a fleet at a partial
   * failure rate practically never show (at 40 % failures, 9 of 10 fail with probability 0.2 %).
   */
  async #openIfTripped(now: number): Promise<void> {
    const view = this.#view!;
    if (view.st !== 'CLOSED' || view[CONTROL]) return; // an operator decides, not the counts
    const o = this.#o;
    const [allCalls, allFailures] = windowCounts(view, now, o.bucketMs);
    const [calls, failures, slow] = windowCounts(view, now, o.bucketMs, now - o.flushMs);
    const trips = (n: number, total: number, percent: number): boolean => total >= o.minimumCalls && n * 100 >= percent * total;
    if (trips(allFailures - failures, allCalls - calls, Math.max(OUTAGE_FAILURE_PERCENT, o.failureRateThreshold))
      || trips(failures, calls, o.failureRateThreshold)
      || (o.slowCallMs !== undefined && trips(slow, calls, o.slowCallRateThreshold))) {
      await this.#open('CLOSED', view.ver, view.oc, now);
    }
  }

  /** Publishes the fleet-wide state and settled rates this instance just learned from its flush. */
  #observe(now: number): void {
    const view = this.#view!;
    const [calls, failures, slow] = windowCounts(view, now, this.#o.bucketMs, now - this.#o.flushMs);
    const percent = (n: number) => (calls > 0 ? Math.round((n * 1000) / calls) / 10 : undefined);
    this.#metrics.emit(now, {
      [BREAKER_METRIC.STATE]: ['CLOSED', 'HALF_OPEN', 'OPEN'].indexOf(view.st),
      [BREAKER_METRIC.FAILURE_RATE]: percent(failures),
      [BREAKER_METRIC.SLOW_CALL_RATE]: this.#o.slowCallMs === undefined ? undefined : percent(slow),
    });
  }

  /** Conditional open: one writer fleet-wide wins; losers re-read the item the winner wrote. */
  async #open(from: CircuitState, version: number, openCount: number, now: number): Promise<void> {
    const period = Math.min(this.#o.maxOpenMs, this.#o.openMs * 2 ** openCount);
    const until = now + Math.round(period * (1 + (Math.random() * this.#o.openJitterPercent) / 100));
    // if the reply is lost, a later read tells whether this write opened it
    const token = (this.#unconfirmedOpen = uuid());
    await this.#adoptOrReload(await this.#store.open(from, version, now, until, openCount + 1, token), now);
  }

  async #close(view: CircuitView, now: number): Promise<void> {
    await this.#adoptOrReload(await this.#store.close(view.ver, now), now);
  }

  /** Adopts the item a transition of ours wrote, or re-reads it when another writer won. */
  async #adoptOrReload(written: CircuitView | undefined, now: number): Promise<void> {
    if (written) this.#adopt(written, now, true);
    else await this.#reload(now);
  }

  async #reload(now: number): Promise<boolean> {
    return this.#guard(async () => this.#adopt(await this.#store.get(), now));
  }

  /** Runs store work; a store failure switches to the failure policy instead of reaching the caller. */
  async #guard(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      this.#storeFailed(e);
      return false;
    }
  }

  #storeFailed(error: unknown): void {
    const now = this.#clock.now();
    this.#metrics.emit(now, { [BREAKER_METRIC.STORE_ERRORS]: 1 });
    const fix = permanentStoreErrorFix(error, this.name, this.#o.tableName);
    const kind = (error as Error | null)?.name ?? 'Error';
    if (fix && !this.#reportedStoreErrors.has(kind)) {
      this.#reportedStoreErrors.add(kind);
      console.error(`${breakerLabel(this.name)}: the breaker store fails every request (${kind}: ${(error as Error).message}); until it is fixed the circuit follows onStoreFailure (${this.#o.failClosed ? 'fail-closed' : 'fail-open'}). Fix: ${fix}.`);
    }
    this.#storeDownUntil = now + Math.min(STORE_GUARD_MS[1], STORE_GUARD_MS[0] * 2 ** this.#storeFailures++);
    this.#emit('storeError', error);
  }

  /** Takes `view` as the circuit's state; `late` (a reply after its deadline) leaves the store guard as it is. */
  #adopt(view: CircuitView, now: number, wroteIt = false, late = false): void {
    const from = this.#view?.st ?? 'CLOSED';
    const to = view.st;
    const byThisInstance = wroteIt || (view.by !== undefined && view.by === this.#unconfirmedOpen);
    this.#unconfirmedOpen = undefined;
    this.#view = view;
    this.#syncedAt = now;
    if (!late) {
      this.#storeFailures = this.#storeDownUntil = 0;
      this.#local = undefined;
    }
    // Rejections need no store request, but at most for refreshMs: an operator's override reaches every
    // instance within one refresh, an open circuit included.
    // Each instance ends its rejections at its own random point of a short spread, so the end of an open
    // period (or a recheck) is not a burst of reads and permit writes from the whole fleet in one instant.
    const { refreshMs } = this.#o;
    const spread = this.#o.openJitterPercent > 0 ? Math.random() * Math.min(refreshMs, END_OF_OPEN_SPREAD_MS) : 0;
    const recheckAt = now + Math.max(refreshMs, MIN_RECHECK_WHILE_REJECTING_MS) + spread;
    const forcedOpen = view[CONTROL] === 'force-open';
    this.#rejectUntil = forcedOpen ? recheckAt : to === 'OPEN' && !view[CONTROL] ? Math.min(view.ou + spread, recheckAt) : 0;
    this.#rejectReason = forcedOpen ? 'forced-open' : 'open';
    if (from === to) return;
    const change = { circuit: this.name, from, to, version: view.ver, byThisInstance, at: now };
    if (byThisInstance && to !== 'HALF_OPEN') this.#metrics.emit(now, { [to === 'OPEN' ? BREAKER_METRIC.OPENED : BREAKER_METRIC.CLOSED]: 1 });
    this.#metrics.flushRejections(now);
    this.#emit('stateChange', change);
    this.#emit(to === 'OPEN' ? 'open' : to === 'CLOSED' ? 'close' : 'halfOpen', change);
  }

  #reject<T>(reason: RejectReason, now: number, fallback: ((error: unknown) => T | Promise<T>) | undefined): Promise<T> {
    const error = new CircuitOpenError(this.name, this.#view?.st ?? 'CLOSED', reason, reason === 'store-unavailable' ? this.#storeDownUntil : this.#rejectUntil || undefined);
    this.#metrics.rejected(now);
    this.#emit('reject', error);
    return fallback ? Promise.resolve(fallback(error)) : Promise.reject(error);
  }
}
