import { CLOSED, type CircuitView } from './circuit-item';
import type { ResolvedOptions } from './options';

/** This instance's own breaker (see localBreaker). */
export type LocalBreaker = ReturnType<typeof localBreaker>;

/**
 * The breaker an instance falls back to while the shared store is unreachable (fail-open only): an
 * in-memory breaker of this instance's own calls, so a store outage during an incident never becomes
 * admit-all. It starts from the last shared state this instance knew. A closed circuit keeps counting and
 * opens on this instance's own failure rate. An open or half-open one stays open for the longest open
 * period (maxOpenMs) past the end of the shared one, since every instance probing on its own would break
 * the fleet-wide probe limit; only a store lost that long lets each instance probe, one call at a time.
 * Dropped as soon as the store answers again (so a store that answers now and then never gets here).
 */
export function localBreaker(o: ResolvedOptions, last: CircuitView | undefined, now: number) {
  /** Epoch ms until which this instance rejects; 0 while closed. */
  let openUntil = 0;
  /** Half-open (the open period ended) with its one probe running. */
  let probing = false;
  let calls = 0;
  let failures = 0;
  let windowStart = 0;
  /** Closed with a fresh window, or open from `now` when `open`. */
  const reset = (at: number, open = false): void => {
    openUntil = open ? at + o.openMs : 0;
    calls = failures = 0;
    probing = false;
    windowStart = at;
  };
  reset(now);
  if (last && last.st !== CLOSED) openUntil = Math.max(last.ou, now) + o.maxOpenMs;

  return {
    /** Whether a call may run now; a call admitted after the open period is this instance's one probe. */
    admit: (at: number): boolean => !openUntil || (at >= openUntil && !probing && (probing = true)),
    /** A call this breaker admitted ended in an ignored error: a half-open probe may be tried again. */
    release: (): void => {
      probing = false;
    },
    /** The outcome of a call this breaker admitted. */
    record(failed: boolean, at: number): void {
      if (probing) return reset(at, failed);
      if (openUntil) return;
      if (at - windowStart >= o.windowMs) reset(at);
      calls++;
      if (failed) failures++;
      if (calls >= o.minimumCalls && failures * 100 >= o.failureRateThreshold * calls) reset(at, true);
    },
  };
}
