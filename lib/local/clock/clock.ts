/** Time as the runner's schedules, retries and event timestamps see it. */
export interface Clock {
  now(): number;
  /** Runs `callback` once the clock reaches `at` (epoch ms); returns a function that cancels it. */
  at(at: number, callback: () => void): () => void;
}

/** The wall clock, for humans running an app. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  at(at: number, callback: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    // setTimeout holds at most ~24.8 days; longer waits are chained.
    const arm = () => {
      const wait = at - Date.now();
      if (wait <= 0) return callback();
      timer = setTimeout(arm, Math.min(wait, 2_000_000_000));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  }
}

interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to, for tests: `advanceTo` fires every timer due by then in time order,
 * setting `now()` to each timer's time as it fires, so a schedule sees the time it was meant to run at.
 */
export class VirtualClock implements Clock {
  private current: number;
  private timers: VirtualTimer[] = [];
  private seq = 0;

  constructor(start: number | Date = Date.now()) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  at(at: number, callback: () => void): () => void {
    const timer = { at, seq: this.seq++, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves the clock forward by `ms`, firing due timers. */
  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Moves the clock to `time`, firing due timers (including those they schedule, if due). */
  advanceTo(time: number | Date): void {
    const target = typeof time === 'number' ? time : time.getTime();
    if (target < this.current) throw new Error(`VirtualClock: cannot move back from ${new Date(this.current).toISOString()} to ${new Date(target).toISOString()}`);
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = target;
  }

  /** Time of the next pending timer, if any. */
  nextTimer(): number | undefined {
    return this.timers.reduce<number | undefined>((min, t) => (min === undefined || t.at < min ? t.at : min), undefined);
  }
}
