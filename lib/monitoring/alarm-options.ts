import { Duration } from 'aws-cdk-lib';
import { AlarmProfile } from './alarm-profile';

/**
 * The alarms of a ResilientFunction. Under `AlarmProfile.FULL` each signal is its own alarm; under
 * `AlarmProfile.ESSENTIAL` one `HEALTH` alarm watches them all (and `disable` naming a signal drops it
 * from that alarm).
 */
export enum FunctionAlarm {
  /** Every failure signal below in one metric-math alarm (`AlarmProfile.ESSENTIAL`). */
  HEALTH = 'Health',
  /** Errors as a percentage of invocations of the `live` alias, in periods with at least `minInvocations`. */
  ERROR_RATE = 'ErrorRate',
  /** Throttled invocations of the `live` alias. */
  THROTTLES = 'Throttles',
  /** p99 duration approaching the function timeout, in periods with at least `minInvocations`. */
  DURATION_P99 = 'DurationP99',
  /** Invocations that found no free provisioned environment (only with provisioned concurrency). */
  PROVISIONED_SPILLOVER = 'ProvisionedConcurrencySpillover',
  /** Provisioned concurrency nearly exhausted (only with provisioned concurrency, `AlarmProfile.FULL` only: spillover is the failure it warns of). */
  PROVISIONED_UTILIZATION = 'ProvisionedConcurrencyUtilization',
  /** Messages waiting in the failed-invocation queue (only when the library created the queue). */
  DEAD_LETTER_QUEUE_DEPTH = 'DeadLetterQueueDepth',
  /** Async events Lambda could not deliver to the on-failure destination. */
  ASYNC_DELIVERY_FAILURES = 'AsyncDeliveryFailures',
}

/**
 * Thresholds and switches for a ResilientFunction's alarms.
 *
 * Every alarm is on unless `enabled` is false or it is listed in `disable`.
 */
export interface FunctionAlarmsOptions {
  /**
   * Turns every alarm of the function off.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarms to leave out; under `AlarmProfile.ESSENTIAL`, naming a signal leaves it out of the `HEALTH` alarm.
   * @default - none
   */
  readonly disable?: FunctionAlarm[];

  /**
   * Which alarms: one per signal (`FULL`) or one for all signals (`ESSENTIAL`).
   * @default - the stack's `ServiceMonitoring` alarm profile (`AlarmProfile.ESSENTIAL` unless configured)
   */
  readonly profile?: AlarmProfile;

  /**
   * Periods with fewer invocations than this are never breaching for the error-rate and duration alarms,
   * so one cold start or one failed call of a rarely used function does not page anyone. Raise `period`
   * for functions called less often than this per period.
   * @default 10
   */
  readonly minInvocations?: number;

  /**
   * Alarm when errors exceed this percentage of invocations (0–100).
   * @default 1
   */
  readonly maxErrorRatePercent?: number;

  /**
   * Alarm when throttles in a period exceed this count.
   * @default 0
   */
  readonly maxThrottles?: number;

  /**
   * Alarm when p99 duration exceeds this percentage of the timeout (1–100).
   * @default 80
   */
  readonly maxDurationP99PercentOfTimeout?: number;

  /**
   * Alarm when spillover invocations in a period exceed this count.
   * @default 0
   */
  readonly maxProvisionedSpillover?: number;

  /**
   * Alarm when peak provisioned concurrency utilization exceeds this percentage (1–100).
   * @default 90
   */
  readonly maxProvisionedUtilizationPercent?: number;

  /**
   * Alarm when visible messages in the failed-invocation queue exceed this count.
   * @default 0
   */
  readonly maxDeadLetterMessages?: number;

  /**
   * Alarm when failed deliveries to the on-failure destination exceed this count.
   * @default 0
   */
  readonly maxAsyncDeliveryFailures?: number;

  /**
   * Length of one evaluation period.
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * Periods evaluated for each alarm.
   * @default 5
   */
  readonly evaluationPeriods?: number;

  /**
   * Breaching periods (out of `evaluationPeriods`) that set off an alarm.
   * @default 3
   */
  readonly datapointsToAlarm?: number;
}
