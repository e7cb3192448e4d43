import { Duration } from 'aws-cdk-lib';

/** The alarms of a ResilientEventBus (per rule, and on its dead-letter queue) or a ResilientSchedule. */
export enum EventAlarm {
  /**
   * Events that could not be delivered to the target. Rules: `FailedInvocations` per rule. Schedules:
   * `TargetErrorCount` of the schedule group (every schedule of the group counts).
   */
  FAILED_INVOCATIONS = 'FailedInvocations',
  /** Deliveries throttled. Rules: `ThrottledRules` per rule. Schedules: `TargetErrorThrottledCount` of the group. */
  THROTTLED = 'Throttled',
  /** Events that could not even be written to the dead-letter queue, so are lost. */
  DEAD_LETTER_DELIVERY_FAILURES = 'DeadLetterDeliveryFailures',
  /** Events waiting in the dead-letter queue (only when the construct created the queue). */
  DEAD_LETTER_QUEUE_DEPTH = 'DeadLetterQueueDepth',
}

/**
 * Thresholds and switches for event delivery alarms. A single lost event matters, so by default one
 * breaching minute sets an alarm off.
 */
export interface EventAlarmsOptions {
  /**
   * Turns every alarm off.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarms to leave out.
   * @default - none
   */
  readonly disable?: EventAlarm[];

  /**
   * Alarm when failed deliveries in a period exceed this count.
   * @default 0
   */
  readonly maxFailedInvocations?: number;

  /**
   * Alarm when throttled deliveries in a period exceed this count.
   * @default 0
   */
  readonly maxThrottled?: number;

  /**
   * Alarm when messages waiting in the dead-letter queue exceed this count.
   * @default 0
   */
  readonly maxDeadLetterMessages?: number;

  /**
   * Length of one evaluation period.
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * Periods evaluated for each alarm.
   * @default 1
   */
  readonly evaluationPeriods?: number;

  /**
   * Breaching periods (out of `evaluationPeriods`) that set off an alarm.
   * @default 1
   */
  readonly datapointsToAlarm?: number;
}
