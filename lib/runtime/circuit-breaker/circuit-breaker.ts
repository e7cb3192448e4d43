import { BreakerEmitter, type BreakerEventName, type BreakerEvents } from './breaker-events';
import { BreakerStore, type FlushMark, StoreDeadlineError } from './breaker-store';
import { bucketOf, type CircuitView, expiredAttributes, freeSlots, markAttribute, nextLeaseExpiry, windowCounts } from './circuit-item';
import type { CircuitState } from './circuit-state';
import { CallTimeoutError, CircuitOpenError, BreakerStoreError, type RejectReason } from './errors';
import { type ExecuteOptions, type LambdaContextLike, readExecuteOptions } from './execute-options';
import { BreakerMetrics } from './metrics';
import { BUCKETS_PER_WINDOW, type CircuitBreakerOptions, type Clock, type ResolvedOptions, resolveOptions } from './options';
import { LocalBreaker } from './local-breaker';
import { type BucketCounts, PendingOutcomes } from './pending-outcomes';
import { ProtectedCall } from './protected-call';
import { sharedDynamoDbClient } from './shared-client';
import { circuitOutsideGrantWarning, permanentStoreErrorFix } from './store-diagnosis';
import { mayHaveApplied } from './write-outcome';

interface ProbePermit {
  readonly slot: number;
  readonly token: string;
  readonly version: number;
}

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

/** Flushes an instance marks after one lost a reply (see #flushLost); lost replies come in runs. */
const MARKED_FLUSHES = 50;

/** A marked flush whose reply was lost: sent again, same mark, until DynamoDB answers. */
interface FlushInDoubt {
  readonly buckets: readonly BucketCounts[];
  readonly mark: FlushMark;
}

const STORE_GUARD_MIN_MS = 1_000;
const STORE_GUARD_MAX_MS = 30_000;

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
  readonly #isFailure: ((error: unknown) => boolean) | undefined;
  readonly #isResultFailure: ((value: unknown) => boolean) | undefined;
  readonly #ignore: ((error: unknown) => boolean) | undefined;
  readonly #fallback: ((error: unknown) => unknown) | undefined;
  readonly #metrics: BreakerMetrics;
  readonly #events = new BreakerEmitter();

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
  readonly #call: ProtectedCall;
  /** This instance's flush mark attribute, and how many more flushes carry it. */
  readonly #markAttribute = markAttribute(globalThis.crypto.randomUUID().slice(0, 8));
  #markedFlushesLeft = 0;
  #lastMarkAt = 0;
  #inDoubt: FlushInDoubt | undefined;
  /** A flush past its deadline whose reply is still awaited: no other flush is sent meanwhile. */
  #lateFlush: Promise<void> | undefined;

  constructor(options: CircuitBreakerOptions) {
    this.#o = resolveOptions(options);
    this.name = this.#o.name;
    this.#clock = options.clock ?? Date;
    this.#isFailure = options.isFailure;
    this.#isResultFailure = options.isResultFailure;
    this.#ignore = options.ignore;
    this.#fallback = options.fallback;
    this.#metrics = new BreakerMetrics(this.#o.name, options.metrics);
    if (options.onStateChange) this.#events.on('stateChange', options.onStateChange);
    const given = options.client;
    const storeTimeoutMs = this.#o.storeTimeoutMs;
    const connect = given ? async () => given : () => sharedDynamoDbClient(storeTimeoutMs);
    const outsideGrant = circuitOutsideGrantWarning(this.name);
    if (outsideGrant) console.warn(outsideGrant);
    this.#store = new BreakerStore(connect, this.#o.tableName, this.name, this.#o.halfOpenProbes, this.#o.storeTimeoutMs);
    // A random phase: instances that start together (a deploy, a scale-out) flush spread over flushMs, not in one burst.
    this.#flushedAt = this.#clock.now() - Math.random() * this.#o.flushMs;
    this.#call = new ProtectedCall(this.name, this.#o.callTimeoutMs);
  }

  /**
   * Runs `fn` through the breaker. `fn` receives an AbortSignal that fires after `callTimeoutMs`.
   * Throws `CircuitOpenError` when the call is rejected, and whatever `fn` threw when it fails,
   * unless a fallback is configured. Pass the Lambda context (or `remainingTimeMs`) so a half-open
   * probe's lease never outlives the invocation.
   */
  async execute<T>(fn: (signal: AbortSignal) => T | Promise<T>, options?: ExecuteOptions<T> | LambdaContextLike): Promise<T> {
    if (typeof fn !== 'function') {
      throw new TypeError(`CircuitBreaker "${this.name}": execute() needs a function, got ${typeof fn}`);
    }
    const call = readExecuteOptions(this.name, options);
    const now = this.#clock.now();
    if (now < this.#rejectUntil) return this.#reject(this.#rejectReason, now, call.fallback);

    let probe: ProbePermit | undefined;
    let local = false;
    let refreshing: Promise<boolean> | undefined;
    if (this.#view?.state !== 'CLOSED' || now - this.#syncedAt >= this.#o.refreshMs || now < this.#storeDownUntil) {
      if (this.#view?.state === 'CLOSED' && now >= this.#storeDownUntil && !this.#o.failClosed && !this.#local) {
        // A due refresh of a CLOSED circuit overlaps the call instead of delaying it: the call is admitted on
        // state at most one round trip staler than refreshMs. fail-closed waits, so it never admits unverified,
        // and so does an instance that lost the store, so its local breaker judges the call.
        refreshing = this.#sync(now);
      } else {
        const admission = await this.#admit(now, call.remainingTimeMs);
        if (admission === LOCAL_ADMIT) local = true;
        else if (typeof admission === 'string') return this.#reject(admission, now, call.fallback);
        else probe = admission;
      }
    }

    let value: T | undefined;
    let error: unknown;
    let failed = false;
    try {
      value = await this.#call.run(fn);
    } catch (e) {
      error = e;
      failed = true;
    }
    const end = this.#clock.now();
    if (refreshing) await refreshing;
    const slow = this.#o.slowCallMs !== undefined && end - now >= this.#o.slowCallMs;
    const failure = failed ? this.#countsAsFailure(error) : this.#resultFails(value);
    if (failed && this.#ignores(error)) {
      // Neither success nor failure: nothing is counted; a probe's permit comes back when its lease ends.
      if (local) this.#local?.release();
    } else {
      if (local) this.#local?.record(failure || slow, end);
      if (probe) await this.#finishProbe(probe, !failure && !slow, end);
      else await this.#record(failure, slow, end);
    }

    if (!failed) return value as T;
    const fallback = call.fallback ?? this.#fallback;
    if (failure && fallback) return fallback(error) as T | Promise<T>;
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
    this.#adopt(view, now, false);
    return view.state === 'OPEN' && now >= view.openUntil ? 'HALF_OPEN' : view.state;
  }

  /** The state this instance last learned from the store (no I/O); undefined before the first read. */
  get cachedState(): CircuitState | undefined {
    return this.#view?.state;
  }

  /** Subscribes to an event (`stateChange`, `open`, `halfOpen`, `close`, `reject`, `storeError`). */
  on<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): this {
    this.#events.off(event, listener);
    return this;
  }

  /** Decides whether a call may run; returns a probe permit, undefined (a normal call) or why not. */
  async #admit(now: number, remainingTimeMs: number | undefined): Promise<Admission> {
    if (now < this.#storeDownUntil) return this.#storePolicy(now);
    if (this.#view === undefined || now - this.#syncedAt >= this.#o.refreshMs) {
      if (!(await this.#sync(now))) return this.#storePolicy(now);
    }
    const view = this.#view!;
    if (view.control === 'force-open') return 'forced-open';
    if (view.state === 'CLOSED' || view.control !== undefined) return undefined; // force-closed, disabled: admit
    if (view.state === 'OPEN' && now < view.openUntil) return 'open';
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
      this.#metrics.degraded(now);
    }
    return this.#local.admit(now) ? LOCAL_ADMIT : 'local-open';
  }

  /** Takes one of the fleet-wide probe permits, or rejects locally until one may free up. */
  async #acquireProbe(now: number, remainingTimeMs: number | undefined): Promise<Admission> {
    const lease = Math.min(remainingTimeMs ?? Infinity, this.#o.callTimeoutMs ?? Infinity, this.#o.probeLeaseMs);
    for (let attempt = 0; attempt <= this.#o.halfOpenProbes; attempt++) {
      const view = this.#view!;
      if (view.state === 'CLOSED') return undefined;
      if (view.state === 'OPEN' && now < view.openUntil) return 'open';
      if (view.state === 'HALF_OPEN' && view.slots.every((s) => s.done)) {
        // the closer crashed between the last probe's success and the close: finish its job
        if (!(await this.#guard(() => this.#close(view, now)))) return this.#storePolicy(now);
        continue;
      }
      const free = freeSlots(view, now);
      if (free.length === 0) break;
      const slot = free[Math.floor(Math.random() * free.length)];
      const token = globalThis.crypto.randomUUID();
      let next: CircuitView | undefined;
      try {
        next = await this.#store.acquire(slot, view.version, now, now + lease, token);
      } catch (e) {
        // Not a local admit: a throttled or lost permit write may have taken the slot, and N instances
        // admitting on their own would be N probes. The permit is asked for again after the guard pause.
        this.#storeFailed(e);
        return this.#o.failClosed ? 'store-unavailable' : 'half-open';
      }
      if (next) {
        this.#adopt(next, now, false);
        return { slot, token, version: view.version };
      }
      if (!(await this.#reload(now))) return this.#storePolicy(now);
    }
    const view = this.#view!;
    if (view.state === 'CLOSED') return undefined;
    if (view.state === 'OPEN' && now < view.openUntil) return 'open';
    this.#rejectUntil = Math.min(nextLeaseExpiry(view), now + this.#o.refreshMs);
    this.#rejectReason = 'half-open';
    return 'half-open';
  }

  async #finishProbe(probe: ProbePermit, succeeded: boolean, now: number): Promise<void> {
    await this.#guard(async () => {
      if (!succeeded) {
        const view = this.#view!;
        await this.#open('HALF_OPEN', probe.version, view.version === probe.version ? view.openCount : 0, now);
        return;
      }
      const next = await this.#store.probeSucceeded(probe.slot, probe.version, probe.token);
      if (!next) {
        // our lease expired and was reclaimed, or the circuit moved on: our result no longer counts
        await this.#reload(now);
        return;
      }
      this.#adopt(next, now, false);
      if (next.state === 'HALF_OPEN' && next.slots.every((s) => s.done)) await this.#close(next, now);
    });
  }

  async #record(failure: boolean, slow: boolean, now: number): Promise<void> {
    if (this.#view?.control === 'force-closed') return; // counts nothing; refreshes still learn when it ends
    this.#pending.add(bucketOf(now, this.#o.bucketMs), failure, slow);
    if (now < this.#storeDownUntil || this.#inflight) return;
    // Paced by flushMs, blind to outcomes: a failure-triggered flush would bring the store the unlucky
    // instances' batches first, and writes would grow with the error rate. flushAfterFailures opts in to
    // early flushes of failure runs (see its doc).
    const { calls, failures } = this.#pending.totals();
    const early = this.#o.flushAfterFailures !== undefined && failures >= this.#o.flushAfterFailures
      && failures * 100 >= OUTAGE_FAILURE_PERCENT * calls;
    if (early || now - this.#flushedAt >= this.#o.flushMs) {
      await this.#sync(now);
    }
  }

  /**
   * One store round trip (single-flight per instance): flushes pending outcomes when there are any,
   * otherwise reads the item; either way the answer is the fleet-wide item, from which it may open.
   */
  async #sync(now: number): Promise<boolean> {
    if (this.#inflight) {
      await this.#inflight;
    } else {
      this.#inflight = this.#syncOnce(now);
      try {
        await this.#inflight;
      } finally {
        this.#inflight = undefined;
      }
    }
    return this.#view !== undefined && this.#clock.now() >= this.#storeDownUntil;
  }

  async #syncOnce(now: number): Promise<void> {
    const flush = this.#nextFlush(now);
    let view: CircuitView | undefined;
    try {
      if (flush) {
        const expired = this.#view ? expiredAttributes(this.#view, now, this.#o.bucketMs) : [];
        view = await this.#store.flush(flush.buckets, this.#view?.version ?? 0, now, expired, flush.mark)
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
    this.#adopt(view, now, false);
    await this.#guard(() => this.#openIfTripped(now));
    if (flush) this.#observe(now);
  }

  /**
   * What the next sync writes: nothing while a late flush is still awaited; the flush in doubt, unchanged,
   * until the store answers it; otherwise the pending outcomes, marked while replies have lately been lost.
   */
  #nextFlush(now: number): FlushInDoubt | { buckets: BucketCounts[]; mark: FlushMark | undefined } | undefined {
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

  #flushApplied(flush: { mark: FlushMark | undefined }, now: number): void {
    this.#flushedAt = now;
    if (!flush.mark) return;
    if (flush.mark === this.#inDoubt?.mark) this.#inDoubt = undefined;
    else this.#markedFlushesLeft--;
  }

  /**
   * A flush that DynamoDB refused goes back to pending (or, in doubt already, stays so). One past its deadline
   * keeps being awaited in the background: its late reply says whether it was applied. Only a reply that is
   * lost leaves it unknown: a marked flush is then sent again as it was (its mark makes a second apply a
   * no-op); an unmarked one is dropped — counts are never doubled, at worst one flush is lost — and the next
   * MARKED_FLUSHES flushes are marked.
   */
  #flushFailed(flush: { buckets: readonly BucketCounts[]; mark: FlushMark | undefined }, error: unknown, now: number): void {
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
      return;
    }
    if (flush.mark && flush.mark === this.#inDoubt?.mark) return;
    if (!mayHaveApplied(error)) {
      this.#pending.restore(flush.buckets);
    } else if (flush.mark) {
      this.#inDoubt = { buckets: flush.buckets, mark: flush.mark };
    } else {
      this.#markedFlushesLeft = MARKED_FLUSHES;
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
    if (view.state !== 'CLOSED' || view.control !== undefined) return; // an operator decides, not the counts
    const o = this.#o;
    const all = windowCounts(view, now, o.bucketMs);
    const settled = windowCounts(view, now, o.bucketMs, now - o.flushMs);
    const recent = { calls: all.calls - settled.calls, failures: all.failures - settled.failures };
    const outage = recent.calls >= o.minimumCalls
      && recent.failures * 100 >= Math.max(OUTAGE_FAILURE_PERCENT, o.failureRateThreshold) * recent.calls;
    const failing = settled.calls >= o.minimumCalls && settled.failures * 100 >= o.failureRateThreshold * settled.calls;
    const slow = o.slowCallMs !== undefined && settled.calls >= o.minimumCalls && settled.slow * 100 >= o.slowCallRateThreshold * settled.calls;
    if (outage || failing || slow) await this.#open('CLOSED', view.version, view.openCount, now);
  }

  /** Publishes the fleet-wide state and settled rates this instance just learned from its flush. */
  #observe(now: number): void {
    const view = this.#view!;
    const o = this.#o;
    const settled = windowCounts(view, now, o.bucketMs, now - o.flushMs);
    const percent = (n: number) => (settled.calls > 0 ? Math.round((n * 1000) / settled.calls) / 10 : undefined);
    this.#metrics.observed(view.state, percent(settled.failures), o.slowCallMs === undefined ? undefined : percent(settled.slow), now);
  }

  /** Conditional open: one writer fleet-wide wins; losers re-read the item the winner wrote. */
  async #open(from: CircuitState, version: number, openCount: number, now: number): Promise<void> {
    const period = Math.min(this.#o.maxOpenMs, this.#o.openMs * 2 ** openCount);
    const until = now + Math.round(period * (1 + (Math.random() * this.#o.openJitterPercent) / 100));
    const token = globalThis.crypto.randomUUID();
    this.#unconfirmedOpen = token; // if the reply is lost, a later read tells whether this write opened it
    const next = await this.#store.open(from, version, now, until, openCount + 1, token);
    if (next) this.#adopt(next, now, true);
    else await this.#reload(now);
  }

  async #close(view: CircuitView, now: number): Promise<void> {
    const next = await this.#store.close(view.version, now);
    if (next) this.#adopt(next, now, true);
    else await this.#reload(now);
  }

  async #reload(now: number): Promise<boolean> {
    return this.#guard(async () => this.#adopt(await this.#store.get(), now, false));
  }

  /** Runs store work; a store failure switches to the failure policy instead of reaching the caller. */
  async #guard(work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      this.#storeFailed(e);
      return false;
    }
  }

  #storeFailed(error: unknown): void {
    this.#metrics.storeError(this.#clock.now());
    const fix = permanentStoreErrorFix(error, this.name, this.#o.tableName);
    const kind = (error as { name?: string } | null)?.name ?? 'Error';
    if (fix && !this.#reportedStoreErrors.has(kind)) {
      this.#reportedStoreErrors.add(kind);
      console.error(`CircuitBreaker "${this.name}": the breaker store fails every request (${kind}: ${(error as Error).message}); until it is fixed the circuit follows onStoreFailure (${this.#o.failClosed ? 'fail-closed' : 'fail-open'}). Fix: ${fix}.`);
    }
    this.#storeFailures++;
    const pause = Math.min(STORE_GUARD_MAX_MS, STORE_GUARD_MIN_MS * 2 ** (this.#storeFailures - 1));
    this.#storeDownUntil = this.#clock.now() + pause;
    this.#events.emit('storeError', error);
  }

  /** Takes `view` as the circuit's state; `late` (a reply after its deadline) leaves the store guard as it is. */
  #adopt(view: CircuitView, now: number, wroteIt: boolean, late = false): void {
    const from = this.#view?.state ?? 'CLOSED';
    const byThisInstance = wroteIt || (view.openedBy !== undefined && view.openedBy === this.#unconfirmedOpen);
    this.#unconfirmedOpen = undefined;
    this.#view = view;
    this.#syncedAt = now;
    if (!late) {
      this.#storeFailures = 0;
      this.#storeDownUntil = 0;
      this.#local = undefined;
    }
    // Rejections need no store request, but at most for refreshMs: an operator's override reaches every
    // instance within one refresh, an open circuit included.
    // Each instance ends its rejections at its own random point of a short spread, so the end of an open
    // period (or a recheck) is not a burst of reads and permit writes from the whole fleet in one instant.
    const spread = this.#o.openJitterPercent > 0 ? Math.random() * Math.min(this.#o.refreshMs, END_OF_OPEN_SPREAD_MS) : 0;
    const recheckAt = now + Math.max(this.#o.refreshMs, MIN_RECHECK_WHILE_REJECTING_MS) + spread;
    this.#rejectUntil = view.control === 'force-open' ? recheckAt
      : view.state === 'OPEN' && view.control === undefined ? Math.min(view.openUntil + spread, recheckAt) : 0;
    this.#rejectReason = view.control === 'force-open' ? 'forced-open' : 'open';
    if (from === view.state) return;
    const change = { circuit: this.name, from, to: view.state, version: view.version, byThisInstance, at: now };
    if (byThisInstance) this.#metrics.transition(view.state, now);
    this.#metrics.flushRejections(now);
    this.#events.emit('stateChange', change);
    this.#events.emit(view.state === 'OPEN' ? 'open' : view.state === 'CLOSED' ? 'close' : 'halfOpen', change);
  }

  #reject<T>(reason: RejectReason, now: number, fallback: ((error: unknown) => T | Promise<T>) | undefined): Promise<T> {
    const error = new CircuitOpenError(this.name, this.#view?.state ?? 'CLOSED', reason, reason === 'store-unavailable' ? this.#storeDownUntil : this.#rejectUntil || undefined);
    this.#metrics.rejected(now);
    this.#events.emit('reject', error);
    const fb = fallback ?? this.#fallback;
    if (fb) return Promise.resolve(fb(error) as T | Promise<T>);
    return Promise.reject(error);
  }

  #resultFails(value: unknown): boolean {
    return this.#userSays(this.#isResultFailure, value, false);
  }

  #ignores(error: unknown): boolean {
    return !(error instanceof CallTimeoutError) && this.#userSays(this.#ignore, error, false);
  }

  /** A user predicate's answer; one that throws counts as `whenThrows` rather than failing the call. */
  #userSays(predicate: ((x: unknown) => boolean) | undefined, x: unknown, whenThrows: boolean): boolean {
    if (!predicate) return false;
    try {
      return predicate(x) === true;
    } catch {
      return whenThrows;
    }
  }

  #countsAsFailure(error: unknown): boolean {
    if (!this.#isFailure || error instanceof CallTimeoutError) return true;
    try {
      return this.#isFailure(error) !== false;
    } catch {
      return true;
    }
  }
}
