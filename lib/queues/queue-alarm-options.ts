import { Duration } from 'aws-cdk-lib';

/** The alarms of a ResilientQueue. */
export enum QueueAlarm {
  /** Messages waiting in the dead-letter queue: messages consumers failed `maxReceiveCount` times. */
  DEAD_LETTER_QUEUE_DEPTH = 'DeadLetterQueueDepth',
  /** The oldest message of the queue is older than `maxMessageAge`: consumers are not keeping up, or are stuck. */
  OLDEST_MESSAGE_AGE = 'OldestMessageAge',
}

/**
 * Thresholds and switches for queue alarms. A message in the dead-letter queue is work that did not happen, so
 * by default one breaching minute sets that alarm off.
 */
export interface QueueAlarmsOptions {
  /**
   * Turns every alarm off.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarms to leave out.
   * @default - none
   */
  readonly disable?: QueueAlarm[];

  /**
   * Alarm when messages waiting in the dead-letter queue exceed this count.
   * @default 0
   */
  readonly maxDeadLetterMessages?: number;

  /**
   * Alarm when the oldest message of the queue is older than this.
   * @default Duration.minutes(15)
   */
  readonly maxMessageAge?: Duration;

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
