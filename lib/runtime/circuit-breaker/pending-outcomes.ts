import { BUCKETS_PER_WINDOW } from './options';

/** Outcomes of one time bucket: successes, failures, slow calls. */
export interface BucketCounts {
  readonly bucket: number;
  s: number;
  f: number;
  slow: number;
}

/**
 * Outcomes counted locally since the last flush, each in the time bucket of its call. A flush writes every
 * bucket to its own counter, so counts that wait (a failed flush, an idle instance) land in the window
 * they belong to, never in a later one; buckets that have left the window are dropped, not replayed.
 */
export function pendingOutcomes() {
  let buckets = new Map<number, BucketCounts>();
  /** Adds one call's outcome (or a failed flush's bucket put back) to its bucket. */
  const add = (bucket: number, s: number, f: number, slow: number): void => {
    const counts = buckets.get(bucket) ?? { bucket, s: 0, f: 0, slow: 0 };
    counts.s += s;
    counts.f += f;
    counts.slow += slow;
    buckets.set(bucket, counts);
  };
  return {
    add,
    /** [calls, failures] over every pending bucket. */
    totals(): [number, number] {
      let calls = 0;
      let failures = 0;
      for (const c of buckets.values()) {
        calls += c.s + c.f;
        failures += c.f;
      }
      return [calls, failures];
    },
    /** Takes the buckets still inside the window that ends at `currentBucket`; older ones are dropped. */
    take(currentBucket: number): BucketCounts[] {
      const taken = [...buckets.values()].filter((c) => c.bucket > currentBucket - BUCKETS_PER_WINDOW);
      buckets = new Map();
      return taken;
    },
    /** Puts back buckets whose flush failed, to be flushed (or dropped, if they leave the window) later. */
    restore(failed: readonly BucketCounts[]): void {
      for (const c of failed) add(c.bucket, c.s, c.f, c.slow);
    },
  };
}
