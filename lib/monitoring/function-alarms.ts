import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ALARM_DEFAULTS } from './alarm-defaults';
import { FunctionAlarm, FunctionAlarmsOptions } from './alarm-options';
import { AlarmProfile } from './alarm-profile';
import { AlarmSet } from './alarm-set';
import { gatedByVolume, rateGatedByVolume, signalTerm } from './low-volume';

/** What the alarm builder needs to know about a function. */
export interface FunctionAlarmTargets {
  readonly alias: lambda.Alias;
  readonly timeout: Duration;
  readonly provisioned: boolean;
  readonly deadLetterQueue?: sqs.IQueue;
}

/** Which alarms exist for a function with this shape and profile (the ones `disable` may name). */
export function applicableAlarms(targets: { provisioned: boolean; hasDeadLetterQueue: boolean }, profile: AlarmProfile): FunctionAlarm[] {
  const signals = [
    FunctionAlarm.ERROR_RATE,
    FunctionAlarm.THROTTLES,
    FunctionAlarm.DURATION_P99,
    ...(targets.provisioned ? [FunctionAlarm.PROVISIONED_SPILLOVER, FunctionAlarm.PROVISIONED_UTILIZATION] : []),
    ...(targets.hasDeadLetterQueue ? [FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH] : []),
    FunctionAlarm.ASYNC_DELIVERY_FAILURES,
  ];
  return profile === AlarmProfile.ESSENTIAL ? [FunctionAlarm.HEALTH, ...signals] : signals;
}

/** One signal of a function: the metric, the threshold it must stay at or under, and what breaching means. */
interface Signal {
  readonly kind: FunctionAlarm;
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly description: string;
}

/**
 * Creates the alarms of one function on its `live` alias into `set`, skipping disabled ones: one alarm per
 * signal under `FULL`, one `Health` alarm over every signal under `ESSENTIAL`. Names are left to
 * CloudFormation so stacks can be deployed twice in one account.
 */
export function createFunctionAlarms(set: AlarmSet<FunctionAlarm>, targets: FunctionAlarmTargets, options: FunctionAlarmsOptions, profile: AlarmProfile): void {
  if (options.enabled === false) {
    return;
  }
  const period = options.period ?? Duration.minutes(ALARM_DEFAULTS.periodMinutes);
  const evaluation = {
    evaluationPeriods: options.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm ?? ALARM_DEFAULTS.datapointsToAlarm,
  };
  const disabled = new Set(options.disable ?? []);
  const signals = functionSignals(targets, options, period).filter((s) => !disabled.has(s.kind));
  const where = targets.alias.node.path;

  if (profile === AlarmProfile.FULL) {
    for (const signal of signals) {
      set.create(signal.kind, { ...evaluation, metric: signal.metric, threshold: signal.threshold, description: `${signal.description} (${where})` });
    }
    return;
  }
  // Provisioned utilization only warns of spillover, which the health alarm watches itself. At most 7
  // metrics and 3 expressions: within CloudWatch's 10 of each per alarm.
  const watched = signals.filter((s) => s.kind !== FunctionAlarm.PROVISIONED_UTILIZATION);
  if (disabled.has(FunctionAlarm.HEALTH) || watched.length === 0) {
    return;
  }
  set.create(FunctionAlarm.HEALTH, {
    ...evaluation,
    metric: new cloudwatch.MathExpression({
      expression: `IF(${watched.map((s) => signalTerm(s.id, s.threshold)).join(' OR ')}, 1, 0)`,
      usingMetrics: Object.fromEntries(watched.map((s) => [s.id, s.metric])),
      label: 'Failing signals (1 = at least one)',
      period,
    }),
    threshold: 0,
    description: `Any of: ${watched.map((s) => s.description.charAt(0).toLowerCase() + s.description.slice(1)).join('; ')} (${where})`,
  });
}

function functionSignals(targets: FunctionAlarmTargets, options: FunctionAlarmsOptions, period: Duration): Signal[] {
  const { alias } = targets;
  const minInvocations = options.minInvocations ?? ALARM_DEFAULTS.minInvocations;
  const invocations = alias.metricInvocations({ period, statistic: 'Sum' });
  const sum = (metricName: string) => alias.metric(metricName, { period, statistic: 'Sum' });
  const signals: Signal[] = [];

  const errorRate = options.maxErrorRatePercent ?? ALARM_DEFAULTS.maxErrorRatePercent;
  signals.push({
    kind: FunctionAlarm.ERROR_RATE, id: 'errorRate', threshold: errorRate,
    metric: rateGatedByVolume('errors', alias.metricErrors({ period, statistic: 'Sum' }), 'invocations', invocations, minInvocations, 'Error rate (%)', period),
    description: `Error rate above ${errorRate}% in periods of at least ${minInvocations} invocations`,
  });
  const throttles = options.maxThrottles ?? ALARM_DEFAULTS.maxThrottles;
  signals.push({
    kind: FunctionAlarm.THROTTLES, id: 'throttles', threshold: throttles, metric: sum('Throttles'),
    description: `More than ${throttles} throttled invocations per period`,
  });
  const durationPercent = options.maxDurationP99PercentOfTimeout ?? ALARM_DEFAULTS.maxDurationP99PercentOfTimeout;
  signals.push({
    kind: FunctionAlarm.DURATION_P99, id: 'p99Duration', threshold: Math.round(targets.timeout.toMilliseconds() * durationPercent / 100),
    metric: gatedByVolume('duration', alias.metricDuration({ period, statistic: 'p99' }), 'invocations', invocations, minInvocations, 'p99 duration (ms)', period),
    description: `p99 duration above ${durationPercent}% of the ${targets.timeout.toSeconds()} s timeout in periods of at least ${minInvocations} invocations`,
  });
  if (targets.provisioned) {
    const spillover = options.maxProvisionedSpillover ?? ALARM_DEFAULTS.maxProvisionedSpillover;
    signals.push({
      kind: FunctionAlarm.PROVISIONED_SPILLOVER, id: 'spillover', threshold: spillover, metric: sum('ProvisionedConcurrencySpilloverInvocations'),
      description: `More than ${spillover} invocations per period ran outside provisioned concurrency`,
    });
    const utilization = options.maxProvisionedUtilizationPercent ?? ALARM_DEFAULTS.maxProvisionedUtilizationPercent;
    signals.push({
      kind: FunctionAlarm.PROVISIONED_UTILIZATION, id: 'pcUtilization', threshold: utilization,
      metric: new cloudwatch.MathExpression({
        expression: '100 * utilization',
        usingMetrics: { utilization: alias.metric('ProvisionedConcurrencyUtilization', { period, statistic: 'Maximum' }) },
        label: 'Provisioned concurrency utilization (%)',
        period,
      }),
      description: `Provisioned concurrency utilization above ${utilization}%`,
    });
  }
  if (targets.deadLetterQueue) {
    const depth = options.maxDeadLetterMessages ?? ALARM_DEFAULTS.maxDeadLetterMessages;
    signals.push({
      kind: FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH, id: 'deadLetters', threshold: depth,
      metric: targets.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      description: `More than ${depth} failed async invocations waiting in the dead-letter queue`,
    });
  }
  const deliveryFailures = options.maxAsyncDeliveryFailures ?? ALARM_DEFAULTS.maxAsyncDeliveryFailures;
  signals.push({
    kind: FunctionAlarm.ASYNC_DELIVERY_FAILURES, id: 'deliveryFailures', threshold: deliveryFailures, metric: sum('DestinationDeliveryFailures'),
    description: `More than ${deliveryFailures} async events could not be delivered to the on-failure destination`,
  });
  return signals;
}
