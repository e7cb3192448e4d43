import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';

/** How provisioned concurrency on the `live` alias is managed. */
export enum ProvisionedConcurrencyMode {
  /** A constant number of pre-initialized environments. */
  FIXED = 'FIXED',
  /** Target tracking on `LambdaProvisionedConcurrencyUtilization`, optionally with scheduled windows. */
  AUTOSCALED = 'AUTOSCALED',
  /** Scheduled windows only (e.g. business hours), no target tracking. */
  SCHEDULED = 'SCHEDULED',
}

/**
 * A time window with its own capacity bounds, e.g. more capacity during business hours.
 */
export interface ScheduledCapacity {
  /** Names the scheduled action; unique per function. */
  readonly name: string;

  /** When the window starts, in AWS cron/rate/at syntax, e.g. `Schedule.cron({ hour: '8', minute: '0', weekDay: 'MON-FRI' })`. */
  readonly schedule: appscaling.Schedule;

  /**
   * Minimum provisioned concurrency from this point on. Must be >= 1: a scheduled minimum of 0
   * breaks later deployments of the alias (aws-cdk#29992).
   * @default - the minimum is not changed
   */
  readonly minCapacity?: number;

  /**
   * Maximum provisioned concurrency from this point on.
   * @default - the maximum is not changed
   */
  readonly maxCapacity?: number;

  /**
   * Time zone of the cron expression.
   * @default - UTC
   */
  readonly timeZone?: TimeZone;
}

/** Options for `ProvisionedConcurrency.autoscaled()`. */
export interface AutoscaledProvisionedConcurrencyProps {
  /** Lowest provisioned concurrency (>= 1). Also the alias's initial allocation, so deployments wait for it. */
  readonly minCapacity: number;

  /** Highest provisioned concurrency. */
  readonly maxCapacity: number;

  /**
   * Target fraction of provisioned concurrency in use (0.1–0.9).
   * @default 0.7
   */
  readonly utilizationTarget?: number;

  /**
   * Windows that change the bounds on a schedule.
   * @default - no scheduled windows
   */
  readonly schedules?: ScheduledCapacity[];

  /**
   * Wait after a scale-in before the next one.
   * @default - Application Auto Scaling's default
   */
  readonly scaleInCooldown?: Duration;

  /**
   * Wait after a scale-out before the next one.
   * @default - Application Auto Scaling's default
   */
  readonly scaleOutCooldown?: Duration;
}

/** Options for `ProvisionedConcurrency.scheduled()`. */
export interface ScheduledProvisionedConcurrencyProps {
  /** Provisioned concurrency outside the windows (>= 1). Also the alias's initial allocation. */
  readonly minCapacity: number;

  /**
   * Upper bound outside the windows.
   * @default - minCapacity
   */
  readonly maxCapacity?: number;

  /** The windows, each with its own bounds. At least one. */
  readonly schedules: ScheduledCapacity[];
}

/**
 * Provisioned concurrency for a ResilientFunction's `live` alias.
 *
 * Always applied to the alias over `currentVersion`, never to $LATEST or a bare version.
 */
export class ProvisionedConcurrency {
  /** A constant number of pre-initialized environments. */
  public static fixed(executions: number): ProvisionedConcurrency {
    return new ProvisionedConcurrency(ProvisionedConcurrencyMode.FIXED, executions, executions, undefined, []);
  }

  /** Target tracking on utilization between min and max, plus optional scheduled windows. */
  public static autoscaled(props: AutoscaledProvisionedConcurrencyProps): ProvisionedConcurrency {
    return new ProvisionedConcurrency(
      ProvisionedConcurrencyMode.AUTOSCALED,
      props.minCapacity,
      props.maxCapacity,
      props.utilizationTarget ?? 0.7,
      props.schedules ?? [],
      props.scaleInCooldown,
      props.scaleOutCooldown,
    );
  }

  /** Scheduled windows only, e.g. 10 during business hours and 2 at night. */
  public static scheduled(props: ScheduledProvisionedConcurrencyProps): ProvisionedConcurrency {
    return new ProvisionedConcurrency(
      ProvisionedConcurrencyMode.SCHEDULED,
      props.minCapacity,
      props.maxCapacity ?? props.minCapacity,
      undefined,
      props.schedules,
    );
  }

  private constructor(
    /** How capacity is managed. */
    public readonly mode: ProvisionedConcurrencyMode,
    /** Lowest capacity (the alias's initial allocation). */
    public readonly minCapacity: number,
    /** Highest capacity outside scheduled windows. */
    public readonly maxCapacity: number,
    /** Target utilization for target tracking, when autoscaled. */
    public readonly utilizationTarget: number | undefined,
    /** Scheduled windows. */
    public readonly schedules: ScheduledCapacity[],
    /** Scale-in cooldown for target tracking. */
    public readonly scaleInCooldown?: Duration,
    /** Scale-out cooldown for target tracking. */
    public readonly scaleOutCooldown?: Duration,
  ) {}

  /** The highest capacity any setting can reach, for checks against reserved concurrency and warmers. */
  public get peakCapacity(): number {
    return Math.max(this.maxCapacity, this.minCapacity, ...this.schedules.map((s) => Math.max(s.maxCapacity ?? 0, s.minCapacity ?? 0)));
  }
}
