import { EventEmitter } from 'node:events';
import type { InvocationRecord } from '../functions/local-functions';
import { dashboardState, DashboardSources, DashboardState } from './dashboard-state';
import { InvocationLog, InvocationSummary } from './invocation-log';

export interface DashboardFeedEvents {
  /** The state changed (environments, counters, breakers, queues, schedules). */
  state: [state: DashboardState];
  /** An invocation ended. */
  invocation: [summary: InvocationSummary];
}

/** How often the state is compared with the last one sent: environments start, stop and age without an event. */
const TICK_MS = 1000;
/** After an invocation or a breaker change, the state is sent this soon (a burst of invocations sends it once). */
const SETTLE_MS = 50;

/**
 * What the dashboard page shows, as it changes: keeps the invocation list (with each one's event, response and
 * log lines) and sends the runner's state whenever it differs from what was last sent.
 */
export class DashboardFeed extends EventEmitter<DashboardFeedEvents> {
  readonly invocations = new InvocationLog();
  private lastSent = '';
  private readonly tick: NodeJS.Timeout;
  private soon: NodeJS.Timeout | undefined;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly sources: DashboardSources) {
    super();
    const { functions, breakers } = sources;
    const onLog = (l: { environmentId: string; text: string }) => this.invocations.line(l.environmentId, l.text);
    const onInvocation = (r: InvocationRecord) => {
      this.emit('invocation', this.invocations.add(r, sources.clock.now()));
      this.sendSoon();
    };
    const onBreaker = () => this.sendSoon();
    functions.on('log', onLog);
    functions.on('invocation', onInvocation);
    breakers.on('change', onBreaker);
    this.unsubscribe.push(() => functions.off('log', onLog), () => functions.off('invocation', onInvocation), () => breakers.off('change', onBreaker));
    this.tick = setInterval(() => this.sendIfChanged(), TICK_MS).unref();
    // Read every circuit once now, so the page shows where each stands before any invocation.
    for (const f of sources.model.functions) breakers.touched(f);
  }

  /** The state now. */
  state(): DashboardState {
    return dashboardState(this.sources);
  }

  private sendSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      this.sendIfChanged();
    }, SETTLE_MS).unref();
  }

  private sendIfChanged(): void {
    if (this.listenerCount('state') === 0) return;
    const state = this.state();
    // The clock moves every tick; only a change of what the page shows is worth sending.
    const shown = JSON.stringify({ ...state, now: 0 });
    if (shown === this.lastSent) return;
    this.lastSent = shown;
    this.emit('state', state);
  }

  close(): void {
    clearInterval(this.tick);
    clearTimeout(this.soon);
    for (const u of this.unsubscribe) u();
  }
}
