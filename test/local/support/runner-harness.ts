import { VirtualClock } from '../../../lib/local/clock/clock';
import type { InvocationRecord } from '../../../lib/local/functions/local-functions';
import { LocalRunner, startLocalRunner } from '../../../lib/local/runner';

/** A runner on ephemeral ports and a virtual clock, with its log lines and invocation records collected. */
export interface Harness {
  readonly runner: LocalRunner;
  readonly clock: VirtualClock;
  readonly lines: string[];
  readonly records: InvocationRecord[];
  /** Base URL of the API with this display name (stage included). */
  api(displayName: string, stage?: string): string;
  /** Moves the virtual clock in steps, letting the work each step starts finish before the next. */
  advance(ms: number, step?: number): Promise<void>;
  invocationsOf(displayName: string): InvocationRecord[];
}

export async function startHarness(assembly: string, start: Date, options: { idleTimeoutMs?: number } = {}): Promise<Harness> {
  const clock = new VirtualClock(start);
  const lines: string[] = [];
  const runner = await startLocalRunner({ assembly, port: 0, clock, log: (l) => lines.push(l), functionOutput: false, ...options });
  const records: InvocationRecord[] = [];
  runner.functions.on('invocation', (r) => records.push(r));
  return {
    runner, clock, lines, records,
    api(displayName, stage) {
      const api = runner.apis.find((a) => a.displayName === displayName);
      if (!api) throw new Error(`no API ${displayName}; have ${runner.apis.map((a) => a.displayName).join(', ')}`);
      return stage ? api.stageUrls[stage] : Object.values(api.stageUrls)[0];
    },
    async advance(ms, step = ms) {
      for (let moved = 0; moved < ms; moved += step) {
        clock.advanceBy(Math.min(step, ms - moved));
        await runner.settled();
      }
    },
    invocationsOf: (name) => records.filter((r) => r.function.displayName === name),
  };
}
