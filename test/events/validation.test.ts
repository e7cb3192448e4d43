import { CfnParameter, Duration, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { EventAlarm, ResilientEventBus, ResilientEventBusProps, ResilientSchedule, ResilientScheduleProps } from '../../lib';
import { echoFunction, newStack } from '../support/stacks';

// One stack and one function for every case: the constructs are cheap, bundling a function is not.
const stack = newStack('Stage');
const fn = echoFunction(stack);
let counter = 0;
const ordered = { source: ['example.orders'] };

function messageOf(action: () => void): string {
  try {
    action();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

const ruleCases: Array<[string, Partial<{ eventPattern: events.EventPattern; retryAttempts: number; maxEventAge: Duration }>, string[]]> = [
  ['empty event pattern', { eventPattern: {} }, ['eventPattern must match something: give at least one of source, detailType, detail, account, region or resources (EventBridge rejects an empty pattern), got {}']],
  ['pattern of undefined fields only', { eventPattern: { source: undefined } }, ['eventPattern must match something']],
  ['empty source list', { eventPattern: { source: [] } }, ['eventPattern.source must be a non-empty array (an empty array matches nothing), got []']],
  ['a string where an array belongs', { eventPattern: { source: 'example.orders' as unknown as string[] } }, ['eventPattern.source must be an array of values to match, e.g. ["example.orders"], got "example.orders"']],
  ['empty detail object', { eventPattern: { source: ['x'], detail: {} } }, ['eventPattern.detail must be an object with at least one field, got "{}"']],
  ['detail leaf that is not an array', { eventPattern: { detail: { status: 'PLACED' } } }, ['eventPattern.detail.status must be an object whose fields are arrays of values or nested objects, got "PLACED"']],
  ['empty nested detail list', { eventPattern: { detail: { order: { status: [] } } } }, ['eventPattern.detail.order.status must be a non-empty array']],
  ['retry attempts above 185', { eventPattern: ordered, retryAttempts: 200 }, ['retryAttempts must be an integer between 0 and 185, got 200']],
  ['negative retry attempts', { eventPattern: ordered, retryAttempts: -1 }, ['retryAttempts must be an integer between 0 and 185, got -1']],
  ['event age under a minute', { eventPattern: ordered, maxEventAge: Duration.seconds(30) }, ['maxEventAge (seconds) must be between 60 and 86400, got 30']],
  ['event age over a day', { eventPattern: ordered, maxEventAge: Duration.hours(25) }, ['maxEventAge (seconds) must be between 60 and 86400, got 90000']],
];

describe('addRule: bad input fails at synth time naming the bus, the rule, the option and what is allowed', () => {
  const bus = new ResilientEventBus(stack, 'Bus');

  test('content filters and events.Match patterns pass', () => {
    expect(() => bus.addRule('Filters', {
      eventPattern: {
        source: events.Match.prefix('example.'),
        detail: { total: [{ numeric: ['>', 0] }], status: events.Match.anythingBut('DRAFT'), customer: { tier: events.Match.exists() } },
      },
      target: fn,
    })).not.toThrow();
  });
  test.each(ruleCases)('%s', (_name, options, fragments) => {
    const id = `Rule${++counter}`;
    const message = messageOf(() => bus.addRule(id, { eventPattern: {}, ...options, target: fn }));
    expect(message).toContain(`ResilientEventBus.addRule(${id}) at 'Stage/Bus' has`);
    for (const fragment of fragments) {
      expect(message).toContain(fragment);
    }
    expect(bus.node.tryFindChild(id)).toBeUndefined();
  });
});

const busCases: Array<[string, ResilientEventBusProps, string[]]> = [
  ['bus named "default"', { eventBusName: 'default' }, ['eventBusName must be up to 256 letters, digits and ._-/, not "default"', 'got "default"']],
  ['bus name with a space', { eventBusName: 'my orders' }, ['got "my orders"']],
  ['bus name together with a bus', { eventBusName: 'orders', eventBus: events.EventBus.fromEventBusName(stack, 'Imported', 'default') }, ['eventBusName must be unset when eventBus is given, got "orders"']],
  ['archive retention of 0 days', { archive: { retention: Duration.days(0) } }, ['archive.retention (days) must be a whole number of days >= 1, got 0']],
  ['archive retention in hours', { archive: { retention: Duration.hours(36) } }, ['archive.retention (days) must be a whole number of days >= 1, got 1.5']],
  ['empty archive pattern', { archive: { retention: Duration.days(7), eventPattern: {} } }, ['archive.eventPattern must match something']],
  ['alarm datapoints above periods', { alarms: { evaluationPeriods: 1, datapointsToAlarm: 2 } }, ['alarms.datapointsToAlarm must be <= evaluationPeriods (1), got 2']],
  ['unknown alarm to disable', { alarms: { disable: ['Latency' as EventAlarm] } }, ['alarms.disable[] must be one of the EventAlarm values', 'got "Latency"']],
];

describe('ResilientEventBus props: bad input fails at synth time', () => {
  test.each(busCases)('%s', (_name, props, fragments) => {
    const id = `Bus${++counter}`;
    const message = messageOf(() => new ResilientEventBus(stack, id, props));
    expect(message).toContain(`ResilientEventBus at 'Stage/${id}' has`);
    for (const fragment of fragments) {
      expect(message).toContain(fragment);
    }
  });
});

const expression = (expr: string, tz?: TimeZone) => scheduler.ScheduleExpression.expression(expr, tz);
const scheduleCases: Array<[string, Partial<ResilientScheduleProps>, string[]]> = [
  ['Unix 5-field cron', { schedule: expression('cron(0 2 * * *)') }, ['schedule must be an AWS schedule expression, got "cron(0 2 * * *)"', 'an AWS cron has 6 fields']],
  ['cron with both day fields set', { schedule: expression('cron(0 2 * * MON *)') }, ['exactly one of day-of-month and day-of-week must be "?"']],
  ['cron hour 25', { schedule: expression('cron(0 25 * * ? *)') }, ['the hours field "25" is outside 0-23']],
  ['rate with a plural unit for 1', { schedule: expression('rate(1 hours)') }, ['rate(...) uses the singular unit for 1']],
  ['rate of 0', { schedule: expression('rate(0 minutes)') }, ['rate(...) needs a positive whole number and a unit']],
  ['not a schedule at all', { schedule: expression('every day at 2') }, ['an AWS schedule is cron(', 'got "every day at 2"']],
  ['unknown time zone', { schedule: expression('cron(0 2 * * ? *)', TimeZone.of('Europe/Pariss')) }, ['schedule time zone must be an IANA time zone name such as "Europe/Paris" or "America/New_York", got "Europe/Pariss"']],
  ['flexible window above a day', { flexibleTimeWindow: Duration.hours(25) }, ['flexibleTimeWindow (minutes) must be between 1 and 1440, got 1500']],
  ['flexible window under a minute', { flexibleTimeWindow: Duration.seconds(30) }, ['flexibleTimeWindow (minutes) must be between 1 and 1440, got 0.5']],
  ['retry attempts above 185', { retryAttempts: 186 }, ['retryAttempts must be an integer between 0 and 185, got 186']],
  ['event age over a day', { maxEventAge: Duration.days(2) }, ['maxEventAge (seconds) must be between 60 and 86400, got 172800']],
];

describe('ResilientSchedule: bad input fails at synth time', () => {
  test.each(scheduleCases)('%s', (_name, props, fragments) => {
    const id = `Schedule${++counter}`;
    const message = messageOf(() => new ResilientSchedule(stack, id, { schedule: expression('rate(1 day)'), target: fn, ...props }));
    expect(message).toContain(`ResilientSchedule at 'Stage/${id}' has`);
    for (const fragment of fragments) {
      expect(message).toContain(fragment);
    }
  });

  test('valid expressions pass: cron with ?, L, #, names; rate; at(); IANA zones', () => {
    for (const [expr, tz] of [['cron(0 2 ? * MON-FRI *)', TimeZone.AMERICA_NEW_YORK], ['cron(0 12 L * ? *)', undefined], ['cron(0 9 ? * 2#1 *)', TimeZone.of('UTC')],
      ['rate(5 minutes)', undefined], ['at(2030-01-01T00:00:00)', TimeZone.ASIA_TOKYO]] as Array<[string, TimeZone | undefined]>) {
      expect(() => new ResilientSchedule(stack, `Ok${++counter}`, { schedule: expression(expr, tz), target: fn })).not.toThrow();
    }
  });

  test('every problem in one error', () => {
    expect(messageOf(() => new ResilientSchedule(stack, 'Many', { schedule: expression('cron(0 2 * * *)', TimeZone.of('Mars/Olympus')), target: fn, retryAttempts: 999, flexibleTimeWindow: Duration.days(2) })))
      .toMatch(/has 4 problems in its props:\n {2}- schedule .*\n {2}- schedule time zone .*\n {2}- flexibleTimeWindow .*\n {2}- retryAttempts /);
  });
});

describe('CDK tokens pass validation untouched (they resolve at deploy time)', () => {
  // Not for schedules: aws-cdk-lib's Scheduler L2 itself rejects token retries, event ages and windows.
  test('bus name, archive retention, retry values, event age', () => {
    const days = new CfnParameter(stack, 'ArchiveDays', { type: 'Number' }).valueAsNumber;
    const retries = new CfnParameter(stack, 'Retries', { type: 'Number' }).valueAsNumber;
    const age = new CfnParameter(stack, 'AgeSeconds', { type: 'Number' }).valueAsNumber;
    const name = new CfnParameter(stack, 'BusName').valueAsString;
    const bus = new ResilientEventBus(stack, 'Tokens', { eventBusName: name, archive: { retention: Duration.days(days) } });
    expect(() => bus.addRule('Rule', { eventPattern: ordered, target: fn, retryAttempts: retries, maxEventAge: Duration.seconds(age) })).not.toThrow();
  });
});
