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
export class PendingOutcomes {
  #buckets = new Map<number, BucketCounts>();

  add(bucket: number, failure: boolean, slow: boolean): void {
    let counts = this.#buckets.get(bucket);
    if (!counts) {
      counts = { bucket, s: 0, f: 0, slow: 0 };
      this.#buckets.set(bucket, counts);
    }
    if (failure) counts.f++;
    else counts.s++;
    if (slow) counts.slow++;
  }

  /** Totals over every pending bucket. */
  totals(): { calls: number; failures: number } {
    let calls = 0;
    let failures = 0;
    for (const c of this.#buckets.values()) {
      calls += c.s + c.f;
      failures += c.f;
    }
    return { calls, failures };
  }

  /** Takes the buckets still inside the window that ends at `currentBucket`; older ones are dropped. */
  take(currentBucket: number): BucketCounts[] {
    const oldest = currentBucket - BUCKETS_PER_WINDOW;
    const taken = [...this.#buckets.values()].filter((c) => c.bucket > oldest);
    this.#buckets = new Map();
    return taken;
  }

  /** Puts back buckets whose flush failed, to be flushed (or dropped, if they leave the window) later. */
  restore(buckets: readonly BucketCounts[]): void {
    for (const c of buckets) {
      const current = this.#buckets.get(c.bucket);
      if (!current) {
        this.#buckets.set(c.bucket, { ...c });
        continue;
      }
      current.s += c.s;
      current.f += c.f;
      current.slow += c.slow;
    }
  }
}
