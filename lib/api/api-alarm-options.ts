import { Duration } from 'aws-cdk-lib';

/** The alarms of a ResilientRestApi or ResilientHttpApi. */
export enum ApiAlarm {
  /** 5XX responses as a percentage of requests. */
  SERVER_ERROR_RATE = 'ServerErrorRate',
  /** 4XX responses as a percentage of requests (only when `maxClientErrorRatePercent` is set). */
  CLIENT_ERROR_RATE = 'ClientErrorRate',
  /** p99 latency of the stage. */
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
   * Alarms to leave out.
   * @default - none
   */
  readonly disable?: ApiAlarm[];

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
