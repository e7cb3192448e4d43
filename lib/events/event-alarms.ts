import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { EventAlarm, EventAlarmsOptions } from './event-alarm-options';
import { AlarmSet } from '../monitoring/alarm-set';

/** The metrics one delivery path (a rule, a schedule) is alarmed on; absent ones get no alarm. */
export interface DeliveryMetrics {
  readonly failedInvocations?: cloudwatch.IMetric;
  readonly throttled?: cloudwatch.IMetric;
  readonly deadLetterDeliveryFailures?: cloudwatch.IMetric;
  readonly deadLetterQueueDepth?: cloudwatch.IMetric;
}

/**
 * Creates delivery alarms under `scope` into `set`, skipping disabled ones; names are left to
 * CloudFormation. A single lost event matters, so these alarms have no volume gate.
 */
export function createDeliveryAlarms(set: AlarmSet<EventAlarm>, scope: Construct, label: string, metrics: DeliveryMetrics, options: EventAlarmsOptions = {}): cloudwatch.Alarm[] {
  if (options.enabled === false) {
    return [];
  }
  const disabled = new Set(options.disable ?? []);
  const alarms: cloudwatch.Alarm[] = [];
  const add = (kind: EventAlarm, metric: cloudwatch.IMetric | undefined, threshold: number, description: string) => {
    if (!metric || disabled.has(kind)) {
      return;
    }
    // These metrics are only published when non-zero: no data is healthy.
    alarms.push(set.create(kind, {
      metric,
      threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? 1,
      description: `${description} (${label})`,
    }, scope));
  };
  const failed = options.maxFailedInvocations ?? 0;
  add(EventAlarm.FAILED_INVOCATIONS, metrics.failedInvocations, failed, `More than ${failed} events per period could not be delivered to the target`);
  const throttled = options.maxThrottled ?? 0;
  add(EventAlarm.THROTTLED, metrics.throttled, throttled, `More than ${throttled} deliveries per period were throttled`);
  add(EventAlarm.DEAD_LETTER_DELIVERY_FAILURES, metrics.deadLetterDeliveryFailures, 0, 'Events could not be written to the dead-letter queue and are lost');
  const depth = options.maxDeadLetterMessages ?? 0;
  add(EventAlarm.DEAD_LETTER_QUEUE_DEPTH, metrics.deadLetterQueueDepth, depth, `More than ${depth} undelivered events waiting in the dead-letter queue`);
  return alarms;
}

/** Default period of delivery metrics. */
export function deliveryPeriod(options: EventAlarmsOptions = {}): Duration {
  return options.period ?? Duration.minutes(1);
}
