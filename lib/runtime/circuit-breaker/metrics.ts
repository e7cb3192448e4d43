import { BREAKER_METRIC, METRIC_NAMESPACE } from '../../contract';

/** Rejections are summed and published at most this often, not as one log line per rejected call. */
const REJECTIONS_EVERY_MS = 1_000;

/**
 * Publishes the breaker's CloudWatch metrics as Embedded Metric Format lines, dimensioned by FunctionName and
 * Circuit. Lines go straight to stdout rather than through console.log, which the Lambda runtime prefixes
 * (timestamp, request id), hiding the JSON from EMF. Best effort: a failing writer never fails a call.
 */
export class BreakerMetrics {
  readonly #write: ((line: string) => void) | undefined;
  #unreportedRejections = 0;
  #rejectionsReportedAt = -Infinity;

  constructor(readonly circuit: string, option: boolean | ((line: string) => void) | undefined) {
    this.#write = option === false ? undefined : typeof option === 'function' ? option : (line) => process.stdout.write(line + '\n');
  }

  rejected(now: number): void {
    this.#unreportedRejections++;
    if (now - this.#rejectionsReportedAt >= REJECTIONS_EVERY_MS) this.flushRejections(now);
  }

  flushRejections(now: number): void {
    if (this.#unreportedRejections === 0) return;
    this.emit(now, { [BREAKER_METRIC.REJECTED]: this.#unreportedRejections });
    this.#unreportedRejections = 0;
    this.#rejectionsReportedAt = now;
  }

  /** One line with these metrics: rates in percent, the state gauge (0 CLOSED, 1 HALF_OPEN, 2 OPEN) unitless, the rest counts. */
  emit(timestamp: number, values: Record<string, number | undefined>): void {
    const defined = Object.entries(values).filter(([, value]) => value !== undefined);
    if (!this.#write) return;
    try {
      this.#write(JSON.stringify({
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
        Circuit: this.circuit,
        ...Object.fromEntries(defined),
      }));
    } catch {
      // metrics are best effort: a closed stdout must not fail the call
    }
  }
}
