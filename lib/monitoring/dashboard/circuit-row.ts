import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DashboardRow, RowKind } from './dashboard-row';
import { alarmStatus, alarmsWatching, graph, GRAPH_PERIOD } from './widgets';
import type { CircuitBreakerTable } from '../../circuit-breaker/circuit-breaker-table';
import { BREAKER_METRIC, METRIC_NAMESPACE } from '../../contract';
import type { ResilientFunction } from '../../function/resilient-function';

/**
 * The circuits one function uses through a breaker table, from the EMF metrics the breaker runtime publishes
 * (namespace `ResilientServerless`, dimensions FunctionName + Circuit, and FunctionName alone). Circuits
 * named in the grant get a line each; without names the row shows the function-wide figures (the state line
 * is then the worst circuit's).
 */
export function circuitRow(table: CircuitBreakerTable, fn: ResilientFunction, circuits: string[] | undefined): DashboardRow {
  return {
    kind: RowKind.CIRCUITS,
    title: () => `### Circuits of \`${fn.node.path}\` (${circuits ? circuits.map((c) => `\`${c}\``).join(', ') : 'any circuit'}; table \`${table.node.path}\`)`,
    widgets: () => {
      const lines = (metricName: string, statistic: string, what: string) => (circuits ?? [undefined]).map((circuit) => new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensionsMap: { FunctionName: fn.function.functionName, ...(circuit ? { Circuit: circuit } : {}) },
        period: GRAPH_PERIOD,
        statistic,
        label: circuit ? `${circuit}: ${what}` : `${what} (all circuits)`,
      }));
      return [
        graph({
          title: 'State (0 closed, 1 half-open, 2 open)',
          left: lines(BREAKER_METRIC.STATE, 'Maximum', 'state'),
          leftYAxis: { max: 2 },
        }),
        graph({
          title: 'Failure rate of the window (%)',
          left: lines(BREAKER_METRIC.FAILURE_RATE, 'Maximum', 'failure rate'),
          leftYAxis: { max: 100 },
        }),
        graph({
          title: 'Rejected calls and openings',
          left: [...lines(BREAKER_METRIC.REJECTED, 'Sum', 'rejected'), ...lines(BREAKER_METRIC.OPENED, 'Sum', 'opened')],
        }),
        ...alarmStatus(alarmsWatching(fn.alarms, METRIC_NAMESPACE, BREAKER_METRIC.OPENED)),
      ];
    },
  };
}
