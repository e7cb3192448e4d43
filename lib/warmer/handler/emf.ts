import { METRIC_NAMESPACE, WARMER_METRIC } from '../../contract';

/** The per-target figures the warmer publishes. */
export interface TargetMetrics {
  readonly target: string;
  readonly requested: number;
  readonly distinct: number;
  readonly cold: number;
}

/** One CloudWatch Embedded Metric Format line: CloudWatch Logs turns it into metrics, no API call needed. */
export function emfLine(metrics: TargetMetrics, timestamp: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [['Target']],
          Metrics: [
            { Name: WARMER_METRIC.REQUESTED, Unit: 'Count' },
            { Name: WARMER_METRIC.DISTINCT, Unit: 'Count' },
            { Name: WARMER_METRIC.COLD, Unit: 'Count' },
          ],
        },
      ],
    },
    Target: metrics.target,
    [WARMER_METRIC.REQUESTED]: metrics.requested,
    [WARMER_METRIC.DISTINCT]: metrics.distinct,
    [WARMER_METRIC.COLD]: metrics.cold,
  });
}
