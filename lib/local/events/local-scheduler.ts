import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock/clock';
import type { AppModel } from '../model/specs';
import type { LocalEventBuses } from './event-bus';
import { parseSchedule, ScheduleExpression } from './schedule-expression';
import { targetInput } from './target-input';

/** One firing of a schedule. */
export interface ScheduleFiring {
  /** `rule <name>` or `schedule <name>`. */
  readonly source: string;
  readonly expression: string;
  /** The time the schedule was due (epoch ms, on the runner's clock). */
  readonly at: number;
}

export interface SchedulerEvents {
  fired: [firing: ScheduleFiring];
}

interface Armed {
  readonly source: string;
  readonly schedule: ScheduleExpression;
  /** IANA time zone of the expression (Scheduler schedules), shown at start-up. */
  readonly timezone?: string;
  readonly fire: (at: number) => void;
  readonly until?: number;
  /** Extra delay of each run (a flexible time window). */
  readonly delay?: () => number;
  next?: number;
  cancel?: () => void;
}

/**
 * Runs scheduled rules (UTC) and EventBridge Scheduler schedules (in their time zone) on the runner's clock:
 * the real one for people, a virtual one that tests move forward.
 */
export class LocalScheduler extends EventEmitter<SchedulerEvents> {
  private readonly armed: Armed[] = [];
  private started = false;

  constructor(model: AppModel, private readonly buses: LocalEventBuses, private readonly clock: Clock) {
    super();
    // Parse everything up front so a bad expression stops the start, not a later firing.
    for (const rule of model.rules.filter((r) => r.enabled && r.scheduleExpression)) {
      this.armed.push({
        source: `rule ${rule.displayName}`,
        schedule: parseSchedule(rule.scheduleExpression!),
        fire: (at) => {
          const event = {
            version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: model.account,
            time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: model.region, resources: [rule.arn], detail: {},
          };
          for (const target of rule.targets) this.buses.deliver(`rule ${rule.displayName}`, rule.arn, target, targetInput(target, event, { name: rule.name, arn: rule.arn, ingestedAt: at }));
        },
      });
    }
    for (const s of model.schedules.filter((x) => x.enabled)) {
      const windowMs = (s.flexibleWindowMinutes ?? 0) * 60_000;
      this.armed.push({
        source: `schedule ${s.displayName}`,
        timezone: s.timezone,
        schedule: parseSchedule(s.expression, s.timezone),
        ...(s.endDate ? { until: Date.parse(s.endDate) } : {}),
        ...(windowMs > 0 ? { delay: () => Math.floor(Math.random() * windowMs) } : {}),
        fire: (at) => {
          // Scheduler's context attributes may appear in the target's Input.
          const input = s.target.input?.replace(/<aws\.scheduler\.(scheduled-time|schedule-arn|execution-id|attempt-number)>/g, (_all, name: string) =>
            name === 'scheduled-time' ? new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z') : name === 'schedule-arn' ? s.arn : name === 'execution-id' ? randomUUID() : '1');
          this.buses.deliver(`schedule ${s.displayName}`, s.arn, s.target, input !== undefined ? targetInput({ ...s.target, input }, {}) : {});
        },
      });
    }
  }

  /** Arms every schedule from the clock's current time. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const startedAt = this.clock.now();
    for (const a of this.armed) this.arm(a, startedAt, startedAt);
  }

  /** The next firing time of each schedule, for the start-up listing. */
  upcoming(): Array<{ source: string; expression: string; timezone?: string; next?: number }> {
    return this.armed.map((a) => ({ source: a.source, expression: a.schedule.expression, ...(a.timezone ? { timezone: a.timezone } : {}), ...(a.next !== undefined ? { next: a.next } : {}) }));
  }

  private arm(a: Armed, after: number, startedAt: number): void {
    const next = a.schedule.next(after, startedAt);
    a.next = next;
    if (next === undefined || (a.until !== undefined && next > a.until)) return;
    a.cancel = this.clock.at(next + (a.delay?.() ?? 0), () => {
      this.emit('fired', { source: a.source, expression: a.schedule.expression, at: next });
      a.fire(next);
      this.arm(a, next, startedAt);
    });
  }

  close(): void {
    for (const a of this.armed) a.cancel?.();
  }
}
