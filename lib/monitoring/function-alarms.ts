import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_DEFAULTS } from './alarm-defaults';
import { FunctionAlarm, FunctionAlarmsOptions } from './alarm-options';

/** What the alarm builder needs to know about a function. */
export interface FunctionAlarmTargets {
  readonly alias: lambda.Alias;
  readonly timeout: Duration;
  readonly provisioned: boolean;
  readonly deadLetterQueue?: sqs.IQueue;
}

/** Which alarms exist for a function with this shape (the ones `disable` may name). */
export function applicableAlarms(targets: { provisioned: boolean; hasDeadLetterQueue: boolean }): FunctionAlarm[] {
  return [
    FunctionAlarm.ERROR_RATE,
    FunctionAlarm.THROTTLES,
    FunctionAlarm.DURATION_P99,
    ...(targets.provisioned ? [FunctionAlarm.PROVISIONED_SPILLOVER, FunctionAlarm.PROVISIONED_UTILIZATION] : []),
    ...(targets.hasDeadLetterQueue ? [FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH] : []),
    FunctionAlarm.ASYNC_DELIVERY_FAILURES,
  ];
}

/**
 * Creates the default alarms of one function on its `live` alias, skipping disabled ones.
 * Names are left to CloudFormation so stacks can be deployed twice in one account.
 */
export function createFunctionAlarms(scope: Construct, targets: FunctionAlarmTargets, options: FunctionAlarmsOptions = {}): Map<FunctionAlarm, cloudwatch.Alarm> {
  const alarms = new Map<FunctionAlarm, cloudwatch.Alarm>();
  if (options.enabled === false) {
    return alarms;
  }
  const period = options.period ?? Duration.minutes(ALARM_DEFAULTS.periodMinutes);
  const evaluation = {
    evaluationPeriods: options.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm ?? ALARM_DEFAULTS.datapointsToAlarm,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    // No traffic is healthy traffic: an idle function must not page anyone.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  const disabled = new Set(options.disable ?? []);
  const { alias } = targets;
  const add = (kind: FunctionAlarm, metric: cloudwatch.IMetric, threshold: number, description: string) => {
    if (disabled.has(kind)) {
      return;
    }
    alarms.set(kind, new cloudwatch.Alarm(scope, kind, {
      ...evaluation,
      metric,
      threshold,
      alarmDescription: `${description} (${alias.node.path})`,
    }));
  };

  const errorRate = options.maxErrorRatePercent ?? ALARM_DEFAULTS.maxErrorRatePercent;
  add(FunctionAlarm.ERROR_RATE, new cloudwatch.MathExpression({
    expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
    usingMetrics: {
      errors: alias.metricErrors({ period, statistic: 'Sum' }),
      invocations: alias.metricInvocations({ period, statistic: 'Sum' }),
    },
    label: 'Error rate (%)',
    period,
  }), errorRate, `Error rate above ${errorRate}%`);

  const throttles = options.maxThrottles ?? ALARM_DEFAULTS.maxThrottles;
  add(FunctionAlarm.THROTTLES, alias.metricThrottles({ period, statistic: 'Sum' }), throttles, `More than ${throttles} throttled invocations per period`);

  const durationPercent = options.maxDurationP99PercentOfTimeout ?? ALARM_DEFAULTS.maxDurationP99PercentOfTimeout;
  add(FunctionAlarm.DURATION_P99, alias.metricDuration({ period, statistic: 'p99' }),
    Math.round(targets.timeout.toMilliseconds() * durationPercent / 100),
    `p99 duration above ${durationPercent}% of the ${targets.timeout.toSeconds()} s timeout`);

  if (targets.provisioned) {
    const spillover = options.maxProvisionedSpillover ?? ALARM_DEFAULTS.maxProvisionedSpillover;
    add(FunctionAlarm.PROVISIONED_SPILLOVER, alias.metric('ProvisionedConcurrencySpilloverInvocations', { period, statistic: 'Sum' }),
      spillover, `More than ${spillover} invocations per period ran outside provisioned concurrency`);
    const utilization = options.maxProvisionedUtilizationPercent ?? ALARM_DEFAULTS.maxProvisionedUtilizationPercent;
    add(FunctionAlarm.PROVISIONED_UTILIZATION, new cloudwatch.MathExpression({
      expression: '100 * utilization',
      usingMetrics: { utilization: alias.metric('ProvisionedConcurrencyUtilization', { period, statistic: 'Maximum' }) },
      label: 'Provisioned concurrency utilization (%)',
      period,
    }), utilization, `Provisioned concurrency utilization above ${utilization}%`);
  }

  if (targets.deadLetterQueue) {
    const depth = options.maxDeadLetterMessages ?? ALARM_DEFAULTS.maxDeadLetterMessages;
    add(FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH, targets.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      depth, `More than ${depth} failed async invocations waiting in the dead-letter queue`);
  }

  const deliveryFailures = options.maxAsyncDeliveryFailures ?? ALARM_DEFAULTS.maxAsyncDeliveryFailures;
  add(FunctionAlarm.ASYNC_DELIVERY_FAILURES, alias.metric('DestinationDeliveryFailures', { period, statistic: 'Sum' }),
    deliveryFailures, `More than ${deliveryFailures} async events could not be delivered to the on-failure destination`);

  return alarms;
}
