import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DashboardRow, RowKind } from './dashboard-row';
import { alarmStatus, graph, GRAPH_PERIOD, percentOf, thresholdOf } from './widgets';
import { ApiAlarm } from '../../api/api-alarm-options';
import type { ResilientHttpApi } from '../../api/resilient-http-api';
import type { ResilientRestApi } from '../../api/resilient-rest-api';

/** The stage metrics of an API, under the names its kind publishes. */
interface StageMetrics {
  count(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  clientErrors(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  serverErrors(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
  latency(options: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** A REST API's row: `Count`, `4XXError`, `5XXError`, `Latency` of its stage (dimensions ApiName, Stage). */
export function restApiRow(api: ResilientRestApi): DashboardRow {
  return {
    kind: RowKind.API,
    title: () => `### REST API \`${api.node.path}\` (stage \`${api.stage.stageName}\`)`,
    widgets: () => apiWidgets(api.alarm.bind(api), api.alarms, {
      count: (o) => api.stage.metricCount(o),
      clientErrors: (o) => api.stage.metricClientError(o),
      serverErrors: (o) => api.stage.metricServerError(o),
      latency: (o) => api.stage.metricLatency(o),
    }),
  };
}

/** An HTTP API's row: `Count`, `4xx`, `5xx`, `Latency` of its stage (dimensions ApiId, Stage). */
export function httpApiRow(api: ResilientHttpApi): DashboardRow {
  return {
    kind: RowKind.API,
    title: () => `### HTTP API \`${api.node.path}\` (stage \`${api.stage.stageName}\`)`,
    widgets: () => apiWidgets(api.alarm.bind(api), api.alarms, {
      count: (o) => api.stage.metricCount(o),
      clientErrors: (o) => api.stage.metricClientError(o),
      serverErrors: (o) => api.stage.metricServerError(o),
      latency: (o) => api.stage.metricLatency(o),
    }),
  };
}

/**
 * Requests and errors, error rates, latency and alarms. API Gateway publishes no throttle count: a throttled
 * request is answered 429 and counted among the 4XX, which the graphs say.
 */
function apiWidgets(alarm: (kind: ApiAlarm) => cloudwatch.Alarm | undefined, alarms: cloudwatch.Alarm[], stage: StageMetrics): cloudwatch.IWidget[] {
  const sum = { period: GRAPH_PERIOD, statistic: 'Sum' };
  return [
    graph({
      title: 'Requests and errors',
      left: [
        stage.count({ ...sum, label: 'Requests' }),
        stage.clientErrors({ ...sum, label: '4XX (throttled 429s included)' }),
        stage.serverErrors({ ...sum, label: '5XX' }),
      ],
    }),
    graph({
      title: 'Errors (% of requests)',
      left: [
        percentOf('5XX (%)', ['serverErrors', stage.serverErrors(sum)], ['requests', stage.count(sum)]),
        percentOf('4XX (%)', ['clientErrors', stage.clientErrors(sum)], ['requests', stage.count(sum)]),
      ],
      leftAnnotations: [thresholdOf(alarm(ApiAlarm.SERVER_ERROR_RATE)), thresholdOf(alarm(ApiAlarm.CLIENT_ERROR_RATE))],
    }),
    graph({
      title: 'Latency (ms)',
      left: [
        stage.latency({ period: GRAPH_PERIOD, statistic: 'p50', label: 'p50' }),
        stage.latency({ period: GRAPH_PERIOD, statistic: 'p99', label: 'p99' }),
      ],
      leftAnnotations: [thresholdOf(alarm(ApiAlarm.LATENCY_P99))],
    }),
    ...alarmStatus(alarms),
  ];
}
