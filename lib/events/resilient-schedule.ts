import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EventAlarm, EventAlarmsOptions } from './event-alarm-options';
import { createDeliveryAlarms, deliveryPeriod } from './event-alarms';
import { createEventDeadLetterQueue } from './event-dead-letter-queue';
import { isKnownTimeZone, validateEventAlarms, validateRetry } from './event-validation';
import { scheduleGroupAlarms } from './schedule-group-alarms';
import { ResilientFunction } from '../function/resilient-function';
import { AlarmSet } from '../monitoring/alarm-set';
import { scheduleRow } from '../monitoring/dashboard/event-rows';
import { trackOnDashboard } from '../monitoring/dashboard/service-dashboard';
import { scheduleExpressionProblem } from '../private/schedule-expression';
import { PropsValidator } from '../private/validation';

/** Props of a ResilientSchedule. */
export interface ResilientScheduleProps {
  /**
   * When to run, in AWS syntax with an optional time zone, e.g.
   * `ScheduleExpression.expression('cron(0 2 * * ? *)', TimeZone.EUROPE_PARIS)` or
   * `ScheduleExpression.rate(Duration.hours(1))`.
   */
  readonly schedule: scheduler.ScheduleExpression;

  /** The function to run, invoked through its `live` alias. */
  readonly target: ResilientFunction;

  /**
   * What the function receives.
   * @default - the Scheduler's default (an empty event)
   */
  readonly input?: scheduler.ScheduleTargetInput;

  /**
   * Description of the schedule.
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether the schedule is enabled.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Let Scheduler start the run anywhere in this window after the scheduled time (1 to 1440 minutes),
   * spreading load when many jobs share a time.
   * @default - no window: runs at the scheduled time
   */
  readonly flexibleTimeWindow?: Duration;

  /**
   * Delivery retries before the event goes to the dead-letter queue (0–185).
   * @default 185
   */
  readonly retryAttempts?: number;

  /**
   * How long Scheduler keeps retrying one run (60 s to 24 h).
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;

  /**
   * Queue receiving runs that could not be delivered.
   * @default - a new encrypted, TLS-only queue (messages kept 14 days)
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * The schedule group. Scheduler publishes error metrics per group, so the failed-invocation, throttle
   * and dead-letter-delivery alarms are created once per group (by its first ResilientSchedule, with that
   * schedule's alarm options and topic) and cover every schedule of the group.
   * @default - the default group
   */
  readonly scheduleGroup?: scheduler.IScheduleGroup;

  /**
   * Alarm thresholds and switches.
   * @default - every alarm, each set off by one failure
   */
  readonly alarms?: EventAlarmsOptions;

  /**
   * Topic every alarm of this schedule notifies itself (as well as joining the stack's service-health alarm).
   * @default - no topic of its own: the stack's service-health alarm notifies the stack's alarm topic
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * An EventBridge Scheduler schedule (cron or rate, in a time zone) that invokes a ResilientFunction's
 * `live` alias, with a retry policy, a dead-letter queue, an optional flexible window and alarms.
 * The Scheduler's role may invoke the alias only.
 *
 * @example
 * new ResilientSchedule(this, 'NightlyReport', {
 *   schedule: scheduler.ScheduleExpression.expression('cron(0 2 * * ? *)', TimeZone.EUROPE_PARIS),
 *   target: nightlyReport,
 *   flexibleTimeWindow: Duration.minutes(15),
 * });
 */
export class ResilientSchedule extends Construct {
  /** The underlying schedule (escape hatch). */
  public readonly schedule: scheduler.Schedule;

  /** The queue receiving undelivered runs. */
  public readonly deadLetterQueue: sqs.IQueue;

  private readonly alarmSet: AlarmSet<EventAlarm>;

  constructor(scope: Construct, id: string, props: ResilientScheduleProps) {
    super(scope, id);
    const v = new PropsValidator(this, 'ResilientSchedule');
    const expression = props.schedule.expressionString;
    const problem = Token.isUnresolved(expression) ? undefined : scheduleExpressionProblem(expression);
    if (problem) {
      v.fail(`schedule must be an AWS schedule expression, got ${JSON.stringify(expression)}: ${problem}`);
    }
    const timeZone = props.schedule.timeZone?.timezoneName;
    if (timeZone !== undefined && !Token.isUnresolved(timeZone)) {
      v.check(isKnownTimeZone(timeZone), 'schedule time zone', timeZone, 'an IANA time zone name such as "Europe/Paris" or "America/New_York"');
    }
    if (props.flexibleTimeWindow && !props.flexibleTimeWindow.isUnresolved()) {
      v.range('flexibleTimeWindow (minutes)', props.flexibleTimeWindow.toSeconds() / 60, 1, 1440);
    }
    validateRetry(v, props.retryAttempts, props.maxEventAge);
    validateEventAlarms(v, props.alarms);
    v.throwIfInvalid();

    const createsQueue = props.deadLetterQueue === undefined;
    this.deadLetterQueue = props.deadLetterQueue ?? createEventDeadLetterQueue(this, 'DeadLetterQueue', `the schedule ${this.node.path}`);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: props.schedule,
      target: new schedulerTargets.LambdaInvoke(props.target, {
        input: props.input,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.retryAttempts ?? 185,
        maxEventAge: props.maxEventAge ?? Duration.hours(24),
      }),
      description: props.description,
      enabled: props.enabled,
      scheduleGroup: props.scheduleGroup,
      timeWindow: props.flexibleTimeWindow ? scheduler.TimeWindow.flexible(props.flexibleTimeWindow) : scheduler.TimeWindow.off(),
    });

    // Group alarms an earlier schedule created keep that schedule's actions; this one lists them.
    this.alarmSet = new AlarmSet(this, props.alarmTopic);
    const period = deliveryPeriod(props.alarms);
    if (createsQueue) {
      createDeliveryAlarms(this.alarmSet, this, this.node.path, {
        deadLetterQueueDepth: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      }, props.alarms);
    }
    if (props.alarms?.enabled !== false) {
      scheduleGroupAlarms(this.alarmSet, this, props.scheduleGroup, props.alarms);
    }
    trackOnDashboard(this, scheduleRow(this));
  }

  /**
   * The topic this schedule's alarms reach, unless alarms are off: its own `alarmTopic`, or the stack's
   * alarm topic, which the service-health alarm notifies.
   */
  public get alarmTopic(): sns.ITopic | undefined {
    return this.alarmSet.topic;
  }

  /** Every alarm covering this schedule: its dead-letter queue depth and its group's shared alarms. */
  public get alarms(): cloudwatch.Alarm[] {
    return this.alarmSet.alarms;
  }

  /** Adds an action to every alarm of this schedule. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.alarmSet.addAlarmAction(...actions);
  }
}
