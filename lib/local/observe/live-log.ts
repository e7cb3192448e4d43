import type { DeliveryRecord } from '../events/event-bus';
import type { ScheduleFiring } from '../events/local-scheduler';
import type { AsyncOutcomeRecord, InvocationRecord } from '../functions/local-functions';
import type { BreakerStateChange } from './breaker-watch';
import { shortEnvironmentId } from './short-id';

/** One line per thing that happened, as a person watching the runner wants to read it. */
export const format = {
  invocation(r: InvocationRecord, now: number): string {
    const f = r.result.facts;
    const fn = `${r.function.displayName}${r.qualifier ? `:${r.qualifier}` : ''}`;
    const parts = [stamp(now), pad(r.trigger, 26), '->', pad(fn, 18)];
    if (f.throttled) {
      parts.push('throttled (reserved concurrency)');
    } else {
      parts.push(pad(f.environmentId ? shortEnvironmentId(r.function.displayName, f.environmentId) : '-', 12), f.cold ? `cold init ${ms(f.initMs)}` : 'warm', `dur ${ms(f.durationMs)}`);
    }
    const error = r.result.error;
    parts.push(r.status !== undefined ? String(r.status) : error ? `error ${error.errorType}` : 'ok');
    if (f.timedOut) parts.push('(timed out: environment replaced)');
    // The cause of a failure, even with the function's own log hidden (--quiet).
    else if (error && !f.throttled) parts.push(`(${r.status !== undefined ? `${error.errorType}: ` : ''}${firstLine(error.errorMessage)})`);
    if (r.attempt !== undefined && r.attempt > 1) parts.push(`(attempt ${r.attempt})`);
    return parts.join(' ');
  },
  breaker(c: BreakerStateChange, now: number): string {
    const until = c.openUntil ? `, open until ${new Date(c.openUntil).toISOString().slice(11, 19)}` : '';
    const between = c.transitions ? `, ${c.transitions} transitions between two reads, not seen one by one` : '';
    return `${stamp(now)} breaker ${c.circuit}: ${c.from} -> ${c.to} (version ${c.version}${between}${until})`;
  },
  warmer(target: string, s: { requested: number; distinct: number; cold: number; rounds: number; failed: number; throttled: number }, now: number): string {
    const problems = s.failed + s.throttled > 0 ? `, ${s.throttled} throttled, ${s.failed} failed` : '';
    return `${stamp(now)} warmer ${target}: ${s.distinct}/${s.requested} distinct environments warm, ${s.cold} were cold, ${s.rounds} round(s)${problems}`;
  },
  fired(f: ScheduleFiring, now: number): string {
    return `${stamp(now)} ${f.source} fired (${f.expression}) for ${new Date(f.at).toISOString()}`;
  },
  delivery(d: DeliveryRecord, now: number): string {
    return `${stamp(now)} ${d.source} -> ${d.targetArn}: ${d.outcome}${d.detail ? ` (${d.detail})` : ''}`;
  },
  asyncOutcome(o: AsyncOutcomeRecord, now: number): string {
    return `${stamp(now)} ${o.function.displayName} (${o.trigger}): ${o.outcome} ${o.detail}`;
  },
};

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function stamp(now: number): string {
  return new Date(now).toISOString().slice(11, 23);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
