import { LocalRunnerError } from '../errors';

/** A parsed AWS schedule expression: `rate(...)`, `cron(...)` or `at(...)`. */
export interface ScheduleExpression {
  readonly expression: string;
  /** The first time strictly after `after` (epoch ms) the schedule fires, or undefined if never again. */
  next(after: number, startedAt: number): number | undefined;
}

const MINUTE = 60_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parses an AWS schedule expression; cron fields are read in `timezone` (UTC by default). */
export function parseSchedule(expression: string, timezone = 'UTC'): ScheduleExpression {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2].startsWith('minute') ? MINUTE : rate[2].startsWith('hour') ? 60 * MINUTE : 1440 * MINUTE;
    if (n < 1) throw scheduleError(expression, 'the rate must be at least 1');
    const period = n * unit;
    // A rate schedule runs one period after it was created, then every period.
    return { expression, next: (after, startedAt) => startedAt + Math.max(1, Math.floor((after - startedAt) / period) + 1) * period };
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression.trim());
  if (at) {
    const [, y, mo, d, h, mi, s] = at.map(Number);
    const when = zonedTime({ year: y, month: mo, day: d, hour: h, minute: mi }, timezone) + s * 1000;
    return { expression, next: (after) => (when > after ? when : undefined) };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron) return cronSchedule(expression, cron[1], timezone);
  throw scheduleError(expression, 'expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)');
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  dow: number;
}

function cronSchedule(expression: string, body: string, timezone: string): ScheduleExpression {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw scheduleError(expression, `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  const [minF, hourF, domF, monF, dowF, yearF] = parts;
  if ((domF === '?') === (dowF === '?')) throw scheduleError(expression, 'exactly one of day-of-month and day-of-week must be ?');
  const minutes = numbers(minF, 0, 59, [], expression, 'minutes');
  const hours = numbers(hourF, 0, 23, [], expression, 'hours');
  const months = numbers(monF, 1, 12, MONTHS, expression, 'month');
  const years = numbers(yearF, 1970, 2199, [], expression, 'year');
  const dayMatches = domF === '?' ? dowMatcher(dowF, expression) : domMatcher(domF, expression);
  const local = fieldReader(timezone);

  return {
    expression,
    next: (after) => {
      let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
      for (let guard = 0; guard < 500_000; guard++) {
        const f = local(t);
        if (f.year > 2199) return undefined;
        if (!years.has(f.year) || !months.has(f.month) || !dayMatches(f)) {
          t += (1440 - f.hour * 60 - f.minute) * MINUTE;
        } else if (!hours.has(f.hour)) {
          t += (60 - f.minute) * MINUTE;
        } else if (!minutes.has(f.minute)) {
          t += MINUTE;
        } else {
          return t;
        }
      }
      return undefined;
    },
  };
}

function numbers(field: string, min: number, max: number, names: readonly string[], expression: string, what: string): Set<number> {
  const out = new Set<number>();
  const value = (text: string): number => {
    const named = names.indexOf(text.toUpperCase());
    const n = named >= 0 ? named + min : Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw scheduleError(expression, `${what} value ${JSON.stringify(text)} is not in ${min}-${max}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw scheduleError(expression, `${what} step ${JSON.stringify(stepText)} must be a positive integer`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) [from, to] = range.split('-').map(value) as [number, number];
    else [from, to] = [value(range), stepText === undefined ? value(range) : max];
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

function domMatcher(field: string, expression: string): (f: Fields) => boolean {
  if (field === 'L') return (f) => f.day === daysIn(f.year, f.month);
  if (field === 'LW') return (f) => f.day === nearestWeekday(f.year, f.month, daysIn(f.year, f.month));
  const w = /^(\d+)W$/.exec(field);
  if (w) return (f) => f.day === nearestWeekday(f.year, f.month, Math.min(Number(w[1]), daysIn(f.year, f.month)));
  const days = numbers(field, 1, 31, [], expression, 'day-of-month');
  return (f) => days.has(f.day);
}

function dowMatcher(field: string, expression: string): (f: Fields) => boolean {
  const day = (text: string) => [...numbers(text, 1, 7, DAYS, expression, 'day-of-week')][0];
  const last = /^(\w+)L$/.exec(field);
  if (last) {
    const d = day(last[1]);
    return (f) => f.dow === d && f.day + 7 > daysIn(f.year, f.month);
  }
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth) {
    const d = day(nth[1]);
    return (f) => f.dow === d && Math.ceil(f.day / 7) === Number(nth[2]);
  }
  if (field === 'L') return (f) => f.dow === 7;
  const days = numbers(field, 1, 7, DAYS, expression, 'day-of-week');
  return (f) => days.has(f.dow);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function nearestWeekday(year: number, month: number, day: number): number {
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (dow === 6) return day === 1 ? 3 : day - 1;
  if (dow === 0) return day === daysIn(year, month) ? day - 2 : day + 1;
  return day;
}

/** Reads calendar fields of an instant in a time zone; AWS numbers days of the week 1 (SUN) to 7 (SAT). */
function fieldReader(timezone: string): (t: number) => Fields {
  if (timezone === 'UTC' || timezone === 'Etc/UTC') {
    return (t) => {
      const d = new Date(t);
      return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), dow: d.getUTCDay() + 1 };
    };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
  } catch {
    throw new LocalRunnerError(`Schedule time zone ${JSON.stringify(timezone)} is not an IANA time zone name`);
  }
  return (t) => {
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(t)) parts[p.type] = p.value;
    return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), dow: DAYS.indexOf(parts.weekday.toUpperCase()) + 1 };
  };
}

/** The instant a wall-clock time in a time zone stands for. */
function zonedTime(f: { year: number; month: number; day: number; hour: number; minute: number }, timezone: string): number {
  const guess = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute);
  if (timezone === 'UTC') return guess;
  const seen = fieldReader(timezone)(guess);
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - guess;
  return guess - offset;
}

function scheduleError(expression: string, message: string): LocalRunnerError {
  return new LocalRunnerError(`Schedule expression ${JSON.stringify(expression)}: ${message}`);
}
