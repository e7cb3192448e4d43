import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ApiAlarm, ApiAlarmsOptions } from './api-alarm-options';
import { ALARM_DEFAULTS } from '../monitoring/alarm-defaults';

/** Defaults of the API alarms, in one place so docs, validation and alarms agree. */
export const API_ALARM_DEFAULTS = {
  maxServerErrorRatePercent: 1,
  maxLatencyP99: Duration.seconds(3),
};

/** The stage metrics an API alarm is built from (REST and HTTP name them differently). */
export interface ApiStageMetrics {
  count(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  serverErrors(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  clientErrors(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  latency(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** Creates an API's alarms on its stage; names are left to CloudFormation. */
export function createApiAlarms(scope: Construct, label: string, metrics: ApiStageMetrics, options: ApiAlarmsOptions = {}): Map<ApiAlarm, cloudwatch.Alarm> {
  const alarms = new Map<ApiAlarm, cloudwatch.Alarm>();
  if (options.enabled === false) {
    return alarms;
  }
  const period = options.period ?? Duration.minutes(ALARM_DEFAULTS.periodMinutes);
  const disabled = new Set(options.disable ?? []);
  const add = (kind: ApiAlarm, metric: cloudwatch.IMetric, threshold: number, description: string) => {
    if (disabled.has(kind)) {
      return;
    }
    alarms.set(kind, new cloudwatch.Alarm(scope, kind, {
      metric,
      threshold,
      evaluationPeriods: options.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods,
      datapointsToAlarm: options.datapointsToAlarm ?? ALARM_DEFAULTS.datapointsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // An API nobody calls is healthy.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description} (${label})`,
    }));
  };
  const rate = (errors: cloudwatch.IMetric, name: string) => new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, 100 * errors / requests, 0)',
    usingMetrics: { errors, requests: metrics.count({ period, statistic: 'Sum' }) },
    label: `${name} rate (%)`,
    period,
  });

  const serverRate = options.maxServerErrorRatePercent ?? API_ALARM_DEFAULTS.maxServerErrorRatePercent;
  add(ApiAlarm.SERVER_ERROR_RATE, rate(metrics.serverErrors({ period, statistic: 'Sum' }), '5XX'), serverRate, `5XX responses above ${serverRate}% of requests`);
  if (options.maxClientErrorRatePercent !== undefined) {
    const clientRate = options.maxClientErrorRatePercent;
    add(ApiAlarm.CLIENT_ERROR_RATE, rate(metrics.clientErrors({ period, statistic: 'Sum' }), '4XX'), clientRate, `4XX responses above ${clientRate}% of requests`);
  }
  const latency = options.maxLatencyP99 ?? API_ALARM_DEFAULTS.maxLatencyP99;
  add(ApiAlarm.LATENCY_P99, metrics.latency({ period, statistic: 'p99' }), latency.toMilliseconds(), `p99 latency above ${latency.toMilliseconds()} ms`);
  return alarms;
}
