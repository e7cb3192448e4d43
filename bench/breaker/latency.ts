/** Per-call timings in microseconds, and the percentiles the table prints. */
export class Latencies {
  private readonly samples: number[] = [];

  async time<T>(work: () => Promise<T>): Promise<void> {
    const start = process.hrtime.bigint();
    try {
      await work();
    } catch {
      // rejected and failed calls are timed like any other
    }
    this.samples.push(Number(process.hrtime.bigint() - start) / 1_000);
  }

  percentile(p: number): number {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }

  get count(): number {
    return this.samples.length;
  }
}
