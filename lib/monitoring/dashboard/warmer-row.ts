import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DashboardRow, RowKind } from './dashboard-row';
import { alarmStatus, alarmsWatching, graph, thresholdOf } from './widgets';
import { METRIC_NAMESPACE, WARMER_METRIC } from '../../contract';
import type { ResilientFunction } from '../../function/resilient-function';
import type { Warmer } from '../../warmer/warmer';

/** The warmer's figures are one data point per run: summed over the shortfall alarm's 5-minute period. */
const WARMING_PERIOD = Duration.minutes(5);

/**
 * The warming of one function, from the EMF metrics the warmer publishes per target (dimension `Target`,
 * `<function name>:live`): environments requested against distinct environments that answered, and warm-up
 * calls that were cold starts.
 */
export function warmerRow(warmer: Warmer, fn: ResilientFunction): DashboardRow {
  return {
    kind: RowKind.WARMING,
    title: () => `### Warming of \`${fn.node.path}\``,
    widgets: () => {
      const metric = (name: string, label: string) => warmer.metricForTarget(fn, name, { period: WARMING_PERIOD, statistic: 'Sum', label });
      const shortfall = alarmsWatching(fn.alarms, METRIC_NAMESPACE, WARMER_METRIC.DISTINCT);
      return [
        graph({
          title: 'Environments: requested vs distinct',
          left: [metric(WARMER_METRIC.REQUESTED, 'Requested'), metric(WARMER_METRIC.DISTINCT, 'Distinct environments')],
        }),
        graph({
          title: 'Shortfall and cold warm-ups',
          left: [
            new cloudwatch.MathExpression({
              expression: 'requested - distinct',
              usingMetrics: { requested: metric(WARMER_METRIC.REQUESTED, 'Requested'), distinct: metric(WARMER_METRIC.DISTINCT, 'Distinct') },
              label: 'Shortfall (requested - distinct)',
              period: WARMING_PERIOD,
            }),
            metric(WARMER_METRIC.COLD, 'Warm-up calls that were cold starts'),
          ],
          leftAnnotations: shortfall.map(thresholdOf),
        }),
        ...alarmStatus(shortfall),
      ];
    },
  };
}
