import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { EventAlarm, EventAlarmsOptions } from './event-alarm-options';
import { isConcrete, PropsValidator } from '../private/validation';

/** EventBridge and Scheduler share these retry limits. */
export const RETRY_LIMITS = { maxAttempts: 185, minEventAgeSeconds: 60, maxEventAgeSeconds: 86400 };

export function validateRetry(v: PropsValidator, retryAttempts: number | undefined, maxEventAge: Duration | undefined): void {
  v.integer('retryAttempts', retryAttempts, 0, RETRY_LIMITS.maxAttempts);
  // Durations made of tokens resolve at deploy time: they cannot be judged here.
  if (maxEventAge && !maxEventAge.isUnresolved()) {
    v.range('maxEventAge (seconds)', maxEventAge.toSeconds(), RETRY_LIMITS.minEventAgeSeconds, RETRY_LIMITS.maxEventAgeSeconds);
  }
}

export function validateEventAlarms(v: PropsValidator, alarms: EventAlarmsOptions | undefined): void {
  if (!alarms) {
    return;
  }
  v.range('alarms.maxFailedInvocations', alarms.maxFailedInvocations, 0);
  v.range('alarms.maxThrottled', alarms.maxThrottled, 0);
  v.range('alarms.maxDeadLetterMessages', alarms.maxDeadLetterMessages, 0);
  v.integer('alarms.evaluationPeriods', alarms.evaluationPeriods, 1);
  v.integer('alarms.datapointsToAlarm', alarms.datapointsToAlarm, 1);
  const periods = alarms.evaluationPeriods ?? 1;
  if (isConcrete(alarms.datapointsToAlarm) && isConcrete(periods)) {
    v.check(alarms.datapointsToAlarm <= periods, 'alarms.datapointsToAlarm', alarms.datapointsToAlarm, `<= evaluationPeriods (${periods})`);
  }
  if (alarms.period && !alarms.period.isUnresolved()) {
    const seconds = alarms.period.toSeconds();
    v.check([10, 30].includes(seconds) || (seconds >= 60 && seconds % 60 === 0), 'alarms.period (seconds)', seconds, '10, 30 or a multiple of 60');
  }
  for (const kind of alarms.disable ?? []) {
    v.check(Object.values(EventAlarm).includes(kind), 'alarms.disable[]', kind, `one of the EventAlarm values (${Object.values(EventAlarm).join(', ')})`);
  }
}

/**
 * Checks an event pattern the way EventBridge will at deploy time: it must match something, every
 * matched field holds a non-empty array, and `detail` nests objects down to such arrays.
 */
export function validateEventPattern(v: PropsValidator, prop: string, pattern: events.EventPattern | undefined): void {
  const fields = Object.entries(pattern ?? {}).filter(([, value]) => value !== undefined);
  if (fields.length === 0) {
    v.fail(`${prop} must match something: give at least one of source, detailType, detail, account, region or resources (EventBridge rejects an empty pattern), got {}`);
    return;
  }
  for (const [key, value] of fields) {
    if (key === 'detail') {
      checkDetail(v, `${prop}.detail`, value);
    } else {
      checkLeaf(v, `${prop}.${key}`, value);
    }
  }
}

function checkDetail(v: PropsValidator, prop: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    v.check(false, prop, value, 'an object whose fields are arrays of values or nested objects');
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  v.check(entries.length > 0, prop, '{}', 'an object with at least one field');
  for (const [key, child] of entries) {
    if (Array.isArray(child)) {
      checkLeaf(v, `${prop}.${key}`, child);
    } else {
      checkDetail(v, `${prop}.${key}`, child);
    }
  }
}

function checkLeaf(v: PropsValidator, prop: string, value: unknown): void {
  if (!Array.isArray(value)) {
    v.check(false, prop, typeof value === 'string' ? value : JSON.stringify(value), `an array of values to match, e.g. [${JSON.stringify(String(value))}]`);
    return;
  }
  v.check(value.length > 0, prop, value, 'a non-empty array (an empty array matches nothing)');
}

/** Whether the time zone is an IANA name this Node.js knows (the same database Scheduler uses). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
