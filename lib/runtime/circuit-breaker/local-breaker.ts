import type { CircuitView } from './circuit-item';
import type { ResolvedOptions } from './options';

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
  /** Epoch ms until which this instance rejects; 0 while closed. */
  #openUntil = 0;
  /** Half-open (the open period ended) with its one probe running. */
  #probing = false;
  #calls = 0;
  #failures = 0;
  #windowStart = 0;

  constructor(readonly o: ResolvedOptions, last: CircuitView | undefined, now: number) {
    this.#reset(now);
    if (last && last.st !== 'CLOSED') this.#openUntil = Math.max(last.ou, now) + o.maxOpenMs;
  }

  /** Whether a call may run now; a call admitted after the open period is this instance's one probe. */
  admit(now: number): boolean {
    if (!this.#openUntil) return true;
    if (now < this.#openUntil || this.#probing) return false;
    return (this.#probing = true);
  }

  /** A call this breaker admitted ended in an ignored error: a half-open probe may be tried again. */
  release(): void {
    this.#probing = false;
  }

  /** The outcome of a call this breaker admitted. */
  record(failed: boolean, now: number): void {
    if (this.#probing) {
      this.#reset(now);
      if (failed) this.#openUntil = now + this.o.openMs;
      return;
    }
    if (this.#openUntil) return;
    if (now - this.#windowStart >= this.o.windowMs) this.#reset(now);
    this.#calls++;
    if (failed) this.#failures++;
    if (this.#calls >= this.o.minimumCalls && this.#failures * 100 >= this.o.failureRateThreshold * this.#calls) {
      this.#reset(now);
      this.#openUntil = now + this.o.openMs;
    }
  }

  /** Closed, with a fresh window. */
  #reset(now: number): void {
    this.#openUntil = this.#calls = this.#failures = 0;
    this.#probing = false;
    this.#windowStart = now;
  }
}
