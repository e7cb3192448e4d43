import type { CircuitView } from './circuit-item';

/** The options of the shared breaker that the local one reuses. */
export interface LocalBreakerOptions {
  readonly failureRateThreshold: number;
  readonly minimumCalls: number;
  readonly windowMs: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
}

type LocalState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/**
 * The breaker an instance falls back to while the shared store is unreachable (fail-open only): an
 * in-memory breaker of this instance's own calls, so a store outage during an incident never becomes
 * admit-all. It starts from the last shared state this instance knew. A closed circuit keeps counting and
 * opens on this instance's own failure rate. An open or half-open one stays open for the longest open
 * period (maxOpenMs) past the end of the shared one, since every instance probing on its own would break
 * the fleet-wide probe limit; only a store lost that long lets each instance probe, one call at a time.
 * Dropped as soon as the store answers again (so a store that answers now and then never gets here).
 */
export class LocalBreaker {
  #state: LocalState;
  #openUntil: number;
  #probing = false;
  #calls = 0;
  #failures = 0;
  #windowStart: number;

  constructor(private readonly o: LocalBreakerOptions, last: CircuitView | undefined, now: number) {
    this.#windowStart = now;
    if (last && last.state !== 'CLOSED') {
      this.#state = 'OPEN';
      this.#openUntil = Math.max(last.openUntil, now) + o.maxOpenMs;
    } else {
      this.#state = 'CLOSED';
      this.#openUntil = 0;
    }
  }

  /** Whether a call may run now; a call admitted while half-open is this instance's one probe. */
  admit(now: number): boolean {
    if (this.#state === 'OPEN') {
      if (now < this.#openUntil) return false;
      this.#state = 'HALF_OPEN';
    }
    if (this.#state === 'HALF_OPEN') {
      if (this.#probing) return false;
      this.#probing = true;
    }
    return true;
  }

  /** Epoch ms until which this instance rejects, when open. */
  get openUntil(): number {
    return this.#openUntil;
  }

  /** A call this breaker admitted ended in an ignored error: a half-open probe may be tried again. */
  release(): void {
    this.#probing = false;
  }

  /** The outcome of a call this breaker admitted. */
  record(failed: boolean, now: number): void {
    if (this.#state === 'HALF_OPEN') {
      this.#probing = false;
      if (failed) this.#open(now);
      else this.#reset('CLOSED', now);
      return;
    }
    if (this.#state !== 'CLOSED') return;
    if (now - this.#windowStart >= this.o.windowMs) this.#reset('CLOSED', now);
    this.#calls++;
    if (failed) this.#failures++;
    if (this.#calls >= this.o.minimumCalls && this.#failures * 100 >= this.o.failureRateThreshold * this.#calls) this.#open(now);
  }

  #open(now: number): void {
    this.#reset('OPEN', now);
    this.#openUntil = now + this.o.openMs;
  }

  #reset(state: LocalState, now: number): void {
    this.#state = state;
    this.#calls = 0;
    this.#failures = 0;
    this.#windowStart = now;
  }
}
