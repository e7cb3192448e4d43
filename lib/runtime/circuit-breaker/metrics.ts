import { BREAKER_METRIC, METRIC_NAMESPACE } from '../../contract';
import type { CircuitState } from './circuit-state';

/** Rejections are summed and published at most this often, not as one log line per rejected call. */
const REJECTIONS_EVERY_MS = 1_000;

/**
 * Publishes the breaker's CloudWatch metrics as Embedded Metric Format lines, dimensioned by FunctionName and
 * Circuit. Lines go straight to stdout rather than through console.log, which the Lambda runtime prefixes
 * (timestamp, request id), hiding the JSON from EMF. Best effort: a failing writer never fails a call.
 */
export class BreakerMetrics {
  readonly #circuit: string;
  readonly #write: ((line: string) => void) | undefined;
  #unreportedRejections = 0;
  #rejectionsReportedAt = -Infinity;

  constructor(circuit: string, option: boolean | ((line: string) => void) | undefined) {
    this.#circuit = circuit;
    this.#write = option === false ? undefined : typeof option === 'function' ? option : (line) => process.stdout.write(line + '\n');
  }

  /** This instance wrote a transition (exactly one instance fleet-wide per transition). */
  transition(to: CircuitState, now: number): void {
    if (to === 'OPEN') this.#emit(BREAKER_METRIC.OPENED, 1, now);
    if (to === 'CLOSED') this.#emit(BREAKER_METRIC.CLOSED, 1, now);
  }

  rejected(now: number): void {
    this.#unreportedRejections++;
    if (now - this.#rejectionsReportedAt >= REJECTIONS_EVERY_MS) this.flushRejections(now);
  }

  /** A store request failed (the breaker then follows onStoreFailure; failures are paced by its backoff). */
  storeError(now: number): void {
    this.#emit(BREAKER_METRIC.STORE_ERRORS, 1, now);
  }

  /** The store became unreachable and this instance switched to its local breaker (fail-open). */
  degraded(now: number): void {
    this.#emit(BREAKER_METRIC.DEGRADED, 1, now);
  }

  flushRejections(now: number): void {
    if (this.#unreportedRejections === 0) return;
    this.#emit(BREAKER_METRIC.REJECTED, this.#unreportedRejections, now);
    this.#unreportedRejections = 0;
    this.#rejectionsReportedAt = now;
  }

  /**
   * The fleet-wide picture after this instance's flush (at most one line per flushMs): the state as a gauge
   * (0 CLOSED, 1 HALF_OPEN, 2 OPEN) and the failure and slow-call rates of the settled window, when it has calls.
   */
  observed(state: CircuitState, failurePercent: number | undefined, slowPercent: number | undefined, now: number): void {
    const values: Array<[string, number, string]> = [[BREAKER_METRIC.STATE, STATE_GAUGE[state], 'None']];
    if (failurePercent !== undefined) values.push([BREAKER_METRIC.FAILURE_RATE, failurePercent, 'Percent']);
    if (slowPercent !== undefined) values.push([BREAKER_METRIC.SLOW_CALL_RATE, slowPercent, 'Percent']);
    this.#emitAll(values, now);
  }

  #emit(metric: string, value: number, timestamp: number): void {
    this.#emitAll([[metric, value, 'Count']], timestamp);
  }

  #emitAll(values: Array<[string, number, string]>, timestamp: number): void {
    if (!this.#write) return;
    try {
      this.#write(JSON.stringify({
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [{
            Namespace: METRIC_NAMESPACE,
            // Per circuit, and per function: the construct alarms on the latter when it does not know the circuits.
            Dimensions: [['FunctionName', 'Circuit'], ['FunctionName']],
            Metrics: values.map(([name, , unit]) => ({ Name: name, Unit: unit })),
          }],
        },
        FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME || 'local',
        Circuit: this.#circuit,
        ...Object.fromEntries(values.map(([name, value]) => [name, value])),
      }));
    } catch {
      // metrics are best effort: a closed stdout must not fail the call
    }
  }
}

const STATE_GAUGE: Record<CircuitState, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };
