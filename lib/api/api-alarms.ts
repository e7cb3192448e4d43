import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ApiAlarm, ApiAlarmsOptions } from './api-alarm-options';
import { ALARM_DEFAULTS } from '../monitoring/alarm-defaults';
import { AlarmProfile } from '../monitoring/alarm-profile';
import { AlarmSet } from '../monitoring/alarm-set';
import { gatedByVolume, rateGatedByVolume, signalTerm } from '../monitoring/low-volume';

/** Defaults of the API alarms, in one place so docs, validation and alarms agree. */
export const API_ALARM_DEFAULTS = {
  maxServerErrorRatePercent: 1,
  maxLatencyP99: Duration.seconds(3),
  minRequests: 10,
};

/** The stage metrics an API alarm is built from (REST and HTTP name them differently). */
export interface ApiStageMetrics {
  count(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  serverErrors(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  clientErrors(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  latency(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** Which alarms exist for an API with these options and profile (the ones `disable` may name). */
export function applicableApiAlarms(options: ApiAlarmsOptions, profile: AlarmProfile): ApiAlarm[] {
  const signals = [ApiAlarm.SERVER_ERROR_RATE, ...(options.maxClientErrorRatePercent !== undefined ? [ApiAlarm.CLIENT_ERROR_RATE] : []), ApiAlarm.LATENCY_P99];
  return profile === AlarmProfile.ESSENTIAL ? [ApiAlarm.HEALTH, ...signals] : signals;
}

interface ApiSignal {
  readonly kind: ApiAlarm;
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly description: string;
}

/** Creates an API's alarms on its stage into `set`: one per signal (`FULL`) or one `Health` alarm (`ESSENTIAL`). */
export function createApiAlarms(set: AlarmSet<ApiAlarm>, label: string, metrics: ApiStageMetrics, options: ApiAlarmsOptions, profile: AlarmProfile): void {
  if (options.enabled === false) {
    return;
  }
  const period = options.period ?? Duration.minutes(ALARM_DEFAULTS.periodMinutes);
  const evaluation = {
    evaluationPeriods: options.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm ?? ALARM_DEFAULTS.datapointsToAlarm,
  };
  const minRequests = options.minRequests ?? API_ALARM_DEFAULTS.minRequests;
  const requests = metrics.count({ period, statistic: 'Sum' });
  const signals: ApiSignal[] = [];
  const serverRate = options.maxServerErrorRatePercent ?? API_ALARM_DEFAULTS.maxServerErrorRatePercent;
  signals.push({
    kind: ApiAlarm.SERVER_ERROR_RATE, id: 'serverErrorRate', threshold: serverRate,
    metric: rateGatedByVolume('serverErrors', metrics.serverErrors({ period, statistic: 'Sum' }), 'requests', requests, minRequests, '5XX rate (%)', period),
    description: `5XX responses above ${serverRate}% of requests in periods of at least ${minRequests} requests`,
  });
  if (options.maxClientErrorRatePercent !== undefined) {
    const clientRate = options.maxClientErrorRatePercent;
    signals.push({
      kind: ApiAlarm.CLIENT_ERROR_RATE, id: 'clientErrorRate', threshold: clientRate,
      metric: rateGatedByVolume('clientErrors', metrics.clientErrors({ period, statistic: 'Sum' }), 'requests', requests, minRequests, '4XX rate (%)', period),
      description: `4XX responses above ${clientRate}% of requests in periods of at least ${minRequests} requests`,
    });
  }
  const latency = (options.maxLatencyP99 ?? API_ALARM_DEFAULTS.maxLatencyP99).toMilliseconds();
  signals.push({
    kind: ApiAlarm.LATENCY_P99, id: 'p99Latency', threshold: latency,
    metric: gatedByVolume('latency', metrics.latency({ period, statistic: 'p99' }), 'requests', requests, minRequests, 'p99 latency (ms)', period),
    description: `p99 latency above ${latency} ms in periods of at least ${minRequests} requests`,
  });

  const disabled = new Set(options.disable ?? []);
  const kept = signals.filter((s) => !disabled.has(s.kind));
  if (profile === AlarmProfile.FULL) {
    for (const s of kept) {
      set.create(s.kind, { ...evaluation, metric: s.metric, threshold: s.threshold, description: `${s.description} (${label})` });
    }
    return;
  }
  if (disabled.has(ApiAlarm.HEALTH) || kept.length === 0) {
    return;
  }
  set.create(ApiAlarm.HEALTH, {
    ...evaluation,
    metric: new cloudwatch.MathExpression({
      expression: `IF(${kept.map((s) => signalTerm(s.id, s.threshold)).join(' OR ')}, 1, 0)`,
      usingMetrics: Object.fromEntries(kept.map((s) => [s.id, s.metric])),
      label: 'Failing signals (1 = at least one)',
      period,
    }),
    threshold: 0,
    description: `Any of: ${kept.map((s) => s.description).join('; ')} (${label})`,
  });
}
