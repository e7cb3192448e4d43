import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DashboardRow, RowKind } from './dashboard-row';
import { alarmStatus, graph, GRAPH_PERIOD, percentOf, thresholdOf } from './widgets';
import type { ResilientFunction } from '../../function/resilient-function';
import { FunctionAlarm } from '../alarm-options';

/**
 * Cold starts and their INIT time from the REPORT lines Lambda writes to the function's log group: AWS/Lambda
 * publishes no INIT metric and the library's runtime publishes none either (the warmer's `WarmColdStarts` counts
 * only warm-up calls), so the row queries the logs. Provisioned environments initialize outside requests and
 * report no INIT, so the query counts exactly the on-demand cold starts users wait for (and Lambda bills).
 */
export const INIT_QUERY = [
  'filter @type = "REPORT" and ispresent(@initDuration)',
  'stats count(*) as coldStarts, avg(@initDuration) as avgInitMs, max(@initDuration) as maxInitMs by bin(5m)',
];

/**
 * A function's row, on its `live` alias (the dimensions its alarms use): invocations and throttles, error
 * rate, p50/p99 duration against the timeout, concurrency, provisioned-concurrency use and spillover (with
 * provisioned concurrency), failed async events, cold starts, and its alarms.
 */
export function functionRow(fn: ResilientFunction): DashboardRow {
  return {
    kind: RowKind.FUNCTION,
    title: () => `### Function \`${fn.node.path}\` (alias \`live\`)`,
    widgets: () => functionWidgets(fn),
  };
}

function functionWidgets(fn: ResilientFunction): cloudwatch.IWidget[] {
  const alias = fn.alias;
  const sum = { period: GRAPH_PERIOD, statistic: 'Sum' };
  const invocations = alias.metricInvocations({ ...sum, label: 'Invocations' });
  const throttles = alias.metricThrottles({ ...sum, label: 'Throttles' });
  const timeoutMs = fn.timeout.toMilliseconds();
  const widgets: cloudwatch.IWidget[] = [
    graph({
      title: 'Invocations and throttles',
      left: [invocations, throttles],
      leftAnnotations: [thresholdOf(fn.alarm(FunctionAlarm.THROTTLES))],
    }),
    graph({
      title: 'Errors (% of invocations)',
      left: [percentOf('Errors (%)', ['errors', alias.metricErrors(sum)], ['invocations', alias.metricInvocations(sum)])],
      leftAnnotations: [thresholdOf(fn.alarm(FunctionAlarm.ERROR_RATE))],
    }),
    graph({
      title: 'Duration (ms) against the timeout',
      left: [
        alias.metricDuration({ period: GRAPH_PERIOD, statistic: 'p50', label: 'p50' }),
        alias.metricDuration({ period: GRAPH_PERIOD, statistic: 'p99', label: 'p99' }),
      ],
      leftAnnotations: [
        { value: timeoutMs, label: `Timeout (${fn.timeout.toSeconds()} s)`, color: cloudwatch.Color.RED },
        thresholdOf(fn.alarm(FunctionAlarm.DURATION_P99)),
      ],
      leftYAxis: { max: timeoutMs },
    }),
    graph({
      title: 'Concurrent executions',
      left: [alias.metric('ConcurrentExecutions', { period: GRAPH_PERIOD, statistic: 'Maximum', label: 'Concurrent executions (max)' })],
    }),
  ];
  if (fn.provisionedConcurrency) {
    widgets.push(graph({
      title: 'Provisioned concurrency',
      left: [new cloudwatch.MathExpression({
        expression: '100 * utilization',
        usingMetrics: { utilization: fn.metricProvisionedConcurrencyUtilization({ period: GRAPH_PERIOD }) },
        label: 'Utilization (%, max)',
        period: GRAPH_PERIOD,
      })],
      right: [fn.metricProvisionedConcurrencySpilloverInvocations({ period: GRAPH_PERIOD, label: 'Spillover invocations' })],
      leftAnnotations: [thresholdOf(fn.alarm(FunctionAlarm.PROVISIONED_UTILIZATION))],
      rightAnnotations: [thresholdOf(fn.alarm(FunctionAlarm.PROVISIONED_SPILLOVER))],
      leftYAxis: { max: 100 },
    }));
  }
  widgets.push(graph({
    title: 'Failed async events',
    left: [
      ...(fn.deadLetterQueue ? [fn.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: GRAPH_PERIOD, statistic: 'Maximum', label: 'In the failed-event queue' })] : []),
      alias.metric('DestinationDeliveryFailures', { ...sum, label: 'Undeliverable to the on-failure destination' }),
    ],
    leftAnnotations: [thresholdOf(fn.alarm(FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH))],
  }));
  widgets.push(new cloudwatch.LogQueryWidget({
    title: 'Cold starts and INIT duration (ms), from REPORT lines',
    logGroupNames: [fn.logGroup.logGroupName],
    queryLines: INIT_QUERY,
    view: cloudwatch.LogQueryVisualizationType.LINE,
    width: 6,
    height: 6,
  }));
  widgets.push(...alarmStatus(fn.alarms));
  return widgets;
}
