import * as events from 'aws-cdk-lib/aws-events';

/** One warming schedule: when to warm and how many distinct instances. */
export interface WarmingSchedule {
  /** Names the schedule; unique per function. */
  readonly name: string;

  /**
   * When to warm, in AWS cron or rate syntax, e.g. `Schedule.rate(Duration.minutes(5))` or
   * `Schedule.expression('cron(0/5 8-18 ? * MON-FRI *)')`. Lambda recycles idle environments after
   * minutes, so warm every 5 minutes or more often.
   */
  readonly schedule: events.Schedule;

  /** Distinct execution environments to keep warm (1–1000). */
  readonly concurrency: number;
}

/**
 * Scheduled warming of a ResilientFunction's `live` alias.
 *
 * The function's handler must be wrapped with `withResilience` (from `cdk-resilient-serverless/runtime`)
 * so warm-up calls are answered without running user code.
 */
export interface WarmingOptions {
  /** The schedules, each with its own concurrency (e.g. business hours 10, nights 2). */
  readonly schedules: WarmingSchedule[];

  /**
   * Turns warming on or off, e.g. per stage (`enabled: stage === 'prod'`).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarm when fewer distinct instances than requested were warmed in consecutive runs.
   * @default true
   */
  readonly shortfallAlarm?: boolean;
}
