import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { QueueAlarm, QueueAlarmsOptions } from './queue-alarm-options';
import { AlarmSet } from '../monitoring/alarm-set';

/** Defaults of QueueAlarmsOptions, in one place so docs, validation and alarms agree. */
export const QUEUE_ALARM_DEFAULTS = {
  maxDeadLetterMessages: 0,
  maxMessageAgeMinutes: 15,
  periodMinutes: 1,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
};

/**
 * The alarms of a queue and its dead-letter queue, skipping disabled ones; names are left to CloudFormation.
 * The dead-letter queue's depth is alarmed only when the construct created that queue (a queue passed in is
 * someone else's to watch).
 */
export function createQueueAlarms(alarms: AlarmSet<QueueAlarm>, label: string, queue: sqs.IQueue, deadLetterQueue: sqs.IQueue | undefined, options: QueueAlarmsOptions = {}): void {
  if (options.enabled === false) return;
  const disabled = new Set(options.disable ?? []);
  const period = options.period ?? Duration.minutes(QUEUE_ALARM_DEFAULTS.periodMinutes);
  const add = (kind: QueueAlarm, metric: cloudwatch.IMetric, threshold: number, description: string) => {
    if (disabled.has(kind)) return;
    alarms.create(kind, {
      metric,
      threshold,
      evaluationPeriods: options.evaluationPeriods ?? QUEUE_ALARM_DEFAULTS.evaluationPeriods,
      datapointsToAlarm: options.datapointsToAlarm ?? QUEUE_ALARM_DEFAULTS.datapointsToAlarm,
      description: `${description} (${label})`,
    });
  };
  if (deadLetterQueue) {
    const depth = options.maxDeadLetterMessages ?? QUEUE_ALARM_DEFAULTS.maxDeadLetterMessages;
    add(QueueAlarm.DEAD_LETTER_QUEUE_DEPTH, deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }), depth,
      `More than ${depth} messages waiting in the dead-letter queue: consumers failed them maxReceiveCount times`);
  }
  const age = (options.maxMessageAge ?? Duration.minutes(QUEUE_ALARM_DEFAULTS.maxMessageAgeMinutes)).toSeconds();
  add(QueueAlarm.OLDEST_MESSAGE_AGE, queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }), age,
    `The oldest message is older than ${age} s: consumers are not keeping up`);
}
