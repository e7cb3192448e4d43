import { parseSchedule } from '../local/events/schedule-expression';
import { HOURS_PER_WEEK, WEEKS_PER_MONTH } from './assumptions';
import type { ScheduledCapacity, ScheduleSpec } from './app-functions';
import type { TrafficShape } from './traffic';

/*
 * The advisor models one typical week hour by hour (index 0 = Monday 00:00 UTC) and scales it to a month:
 * traffic, warmer runs and provisioned concurrency all change by the hour, and cold starts depend on how
 * those line up.
 */

const HOUR_MS = 3_600_000;
/** A Monday, 00:00 UTC: the reference week's start (cron fields and time zones are evaluated in this week). */
export const WEEK_START = Date.UTC(2026, 0, 5);
const WEEK_MS = HOURS_PER_WEEK * HOUR_MS;

/** A value per hour of the week. */
export type Week = readonly number[];

export function weekOf(f: (hour: number) => number): number[] {
  return Array.from({ length: HOURS_PER_WEEK }, (_, h) => f(h));
}

/** Sum over the week, scaled to a month. */
export function perMonth(week: Week): number {
  return week.reduce((a, b) => a + b, 0) * WEEKS_PER_MONTH;
}

/** The times a schedule fires in the reference week (epoch ms). At-expressions outside the week fire never. */
export function firesInWeek(schedule: ScheduleSpec, from = WEEK_START, to = WEEK_START + WEEK_MS): number[] {
  const parsed = parseSchedule(schedule.expression, schedule.timezone);
  const out: number[] = [];
  // A rate schedule counts from its creation: a week before, so rate(5 minutes) fires on the hour, 12 times an hour.
  const created = from - WEEK_MS;
  for (let t = parsed.next(from - 1, created); t !== undefined && t < to; t = parsed.next(t, created)) out.push(t);
  return out;
}

/** How many times a schedule fires in each hour of the week. */
export function firesPerHour(schedule: ScheduleSpec): number[] {
  const counts = weekOf(() => 0);
  for (const t of firesInWeek(schedule)) counts[Math.floor((t - WEEK_START) / HOUR_MS)]++;
  return counts;
}

/** Whether an hour of the week lies within business hours (Monday–Friday, UTC). */
export function isBusinessHour(hour: number, hours: { start: number; end: number }): boolean {
  const day = Math.floor(hour / 24); // 0 = Monday
  const h = hour % 24;
  return day < 5 && h >= hours.start && h < hours.end;
}

/** Requests in each hour of the week: spread evenly, or `businessShare` of them within business hours. */
export function requestsPerHour(traffic: TrafficShape): number[] {
  const weekly = traffic.requestsPerMonth / WEEKS_PER_MONTH;
  const hours = traffic.businessHours;
  if (!hours) return weekOf(() => weekly / HOURS_PER_WEEK);
  const business = 5 * (hours.end - hours.start);
  const other = HOURS_PER_WEEK - business;
  // With no hour outside business hours (0-24), every request falls inside whatever the share says.
  const share = other === 0 ? 1 : traffic.businessShare;
  return weekOf((h) => (isBusinessHour(h, hours) ? (weekly * share) / business : (weekly * (1 - share)) / other));
}

/**
 * Capacity bounds in each hour of the week, from the base bounds and the scheduled actions that change them.
 * The week is run twice so the bounds at Monday 00:00 are those the previous week's actions left.
 */
export function boundsPerHour(base: { min: number; max: number }, actions: readonly ScheduledCapacity[]): Array<{ min: number; max: number }> {
  const events = actions.flatMap((a) => firesInWeek(a, WEEK_START - WEEK_MS, WEEK_START + WEEK_MS).map((t) => ({ t, a })));
  events.sort((x, y) => x.t - y.t);
  let bounds = { ...base };
  let next = 0;
  const out: Array<{ min: number; max: number }> = [];
  for (let h = -HOURS_PER_WEEK; h < HOURS_PER_WEEK; h++) {
    // An action during the hour counts for the hour when it fires in its first half.
    const until = WEEK_START + h * HOUR_MS + HOUR_MS / 2;
    for (; next < events.length && events[next].t < until; next++) {
      const { a } = events[next];
      bounds = { min: a.minCapacity ?? bounds.min, max: a.maxCapacity ?? bounds.max };
      if (bounds.max < bounds.min) bounds.max = bounds.min;
    }
    if (h >= 0) out.push({ ...bounds });
  }
  return out;
}
