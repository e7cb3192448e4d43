import { BREAKER_METRIC, METRIC_NAMESPACE } from '../../contract';

/** Name of a metric the breaker publishes. */
export type BreakerMetricName = (typeof BREAKER_METRIC)[keyof typeof BREAKER_METRIC];

/**
 * Writes CloudWatch Embedded Metric Format lines. Written straight to stdout rather than through
 * console.log, which the Lambda runtime prefixes (timestamp, request id), hiding the JSON from EMF.
 */
export function metricWriter(option: boolean | ((line: string) => void) | undefined): ((line: string) => void) | undefined {
  if (option === false) return undefined;
  if (typeof option === 'function') return option;
  return (line) => process.stdout.write(line + '\n');
}

/** One EMF line: `value` of `metric`, dimensioned by FunctionName and Circuit. */
export function emfLine(metric: BreakerMetricName, value: number, circuit: string, timestamp: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [['FunctionName', 'Circuit']],
        Metrics: [{ Name: metric, Unit: 'Count' }],
      }],
    },
    FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME || 'local',
    Circuit: circuit,
    [metric]: value,
  });
}
