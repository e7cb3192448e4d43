import { BREAKER_METRIC, METRIC_NAMESPACE } from '../../contract';

/** Rejections are summed and published at most this often, not as one log line per rejected call. */
const REJECTIONS_EVERY_MS = 1_000;

/**
 * Publishes the breaker's CloudWatch metrics as Embedded Metric Format lines, dimensioned by FunctionName and
 * Circuit. Lines go straight to stdout rather than through console.log, which the Lambda runtime prefixes
 * (timestamp, request id), hiding the JSON from EMF. Best effort: a failing writer never fails a call.
 */
export function breakerMetrics(circuit: string, option: boolean | ((line: string) => void) | undefined) {
  const write = option === false ? undefined : typeof option === 'function' ? option : (line: string) => process.stdout.write(line + '\n');
  let unreportedRejections = 0;
  let rejectionsReportedAt = -Infinity;

  /** One line with these metrics (undefined ones left out): rates in percent, the state gauge unitless, the rest counts. */
  const emit = (timestamp: number, values: Record<string, number | undefined>): void => {
    const defined = Object.entries(values).filter(([, value]) => value !== undefined);
    try {
      write?.(JSON.stringify({
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [{
            Namespace: METRIC_NAMESPACE,
            // Per circuit, and per function: the construct alarms on the latter when it does not know the circuits.
            Dimensions: [['FunctionName', 'Circuit'], ['FunctionName']],
            Metrics: defined.map(([Name]) => ({ Name, Unit: Name === BREAKER_METRIC.STATE ? 'None' : Name.endsWith('Rate') ? 'Percent' : 'Count' })),
          }],
        },
        FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME || 'local',
        Circuit: circuit,
        ...Object.fromEntries(defined),
      }));
    } catch {
      // metrics are best effort: a closed stdout must not fail the call
    }
  };
  const flushRejections = (now: number): void => {
    if (unreportedRejections === 0) return;
    emit(now, { [BREAKER_METRIC.REJECTED]: unreportedRejections });
    unreportedRejections = 0;
    rejectionsReportedAt = now;
  };
  return {
    emit,
    flushRejections,
    rejected(now: number): void {
      unreportedRejections++;
      if (now - rejectionsReportedAt >= REJECTIONS_EVERY_MS) flushRejections(now);
    },
  };
}
