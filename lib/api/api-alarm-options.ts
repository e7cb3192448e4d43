import { Duration } from 'aws-cdk-lib';
import { AlarmProfile } from '../monitoring/alarm-profile';

/**
 * The alarms of a ResilientRestApi or ResilientHttpApi. Under `AlarmProfile.FULL` each signal is its own
 * alarm; under `AlarmProfile.ESSENTIAL` one `HEALTH` alarm watches them all.
 */
export enum ApiAlarm {
  /** Every signal below in one metric-math alarm (`AlarmProfile.ESSENTIAL`). */
  HEALTH = 'Health',
  /** 5XX responses as a percentage of requests, in periods with at least `minRequests`. */
  SERVER_ERROR_RATE = 'ServerErrorRate',
  /** 4XX responses as a percentage of requests (only when `maxClientErrorRatePercent` is set). */
  CLIENT_ERROR_RATE = 'ClientErrorRate',
  /** p99 latency of the stage, in periods with at least `minRequests`. */
  LATENCY_P99 = 'LatencyP99',
}

/** Thresholds and switches for an API's alarms. */
export interface ApiAlarmsOptions {
  /**
   * Turns every alarm of the API off.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarms to leave out; under `AlarmProfile.ESSENTIAL`, naming a signal leaves it out of the `HEALTH` alarm.
   * @default - none
   */
  readonly disable?: ApiAlarm[];

  /**
   * Which alarms: one per signal (`FULL`) or one for all signals (`ESSENTIAL`).
   * @default - the stack's `ServiceMonitoring` alarm profile (`AlarmProfile.ESSENTIAL` unless configured)
   */
  readonly profile?: AlarmProfile;

  /**
   * Periods with fewer requests than this are never breaching for the error-rate and latency alarms, so a
   * few slow or failed calls to a quiet API do not page anyone.
   * @default 10
   */
  readonly minRequests?: number;

  /**
   * Alarm when 5XX responses exceed this percentage of requests (0–100).
   * @default 1
   */
  readonly maxServerErrorRatePercent?: number;

  /**
   * Alarm when 4XX responses exceed this percentage of requests (0–100). 4XX are usually the callers'
   * mistakes, so this alarm exists only when a threshold is given (e.g. to catch a broken client release).
   * @default - no 4XX alarm
   */
  readonly maxClientErrorRatePercent?: number;

  /**
   * Alarm when p99 latency exceeds this.
   * @default Duration.seconds(3)
   */
  readonly maxLatencyP99?: Duration;

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
