import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic';
import { ServiceHealthAlarm } from './service-health-alarm';
import { ServiceMonitoring } from './service-monitoring';

/** One alarm as the library builds it: breaching above the threshold, quiet without data. */
export interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly description: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/**
 * The alarms of one resilient construct, and everything every construct does with them: creation with
 * the library's defaults, the construct's actions (present and future), its alarm topic, and registration
 * with the stack's service-health alarm.
 *
 * Where notifications go: the stack's service-health alarm notifies the stack's alarm topic (one page per
 * outage). An alarm also notifies a topic itself when the construct was given its own `alarmTopic`, when
 * `ServiceMonitoring` asks for `notifyEachAlarm`, or when the service-health alarm is turned off.
 */
export class AlarmSet<Kind extends string> {
  private readonly owned = new Map<string, cloudwatch.Alarm>();
  private readonly list: cloudwatch.Alarm[] = [];
  private readonly actions: cloudwatch.IAlarmAction[] = [];
  private resolvedTopic?: sns.ITopic;

  constructor(private readonly owner: Construct, private readonly ownTopic?: sns.ITopic) {}

  /**
   * Creates an alarm under `scope` (the owner by default) with id `kind`: `GreaterThanThreshold`, and no
   * data is healthy (an idle function or API must not page anyone).
   */
  public create(kind: Kind, spec: AlarmSpec, scope: Construct = this.owner): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, kind, {
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    });
    this.add(alarm, kind);
    return alarm;
  }

  /** Takes an alarm of this construct: it gets the construct's actions and joins the service's health. */
  public add(alarm: cloudwatch.Alarm, kind?: Kind): void {
    if (!this.resolvedTopic) {
      this.resolveTopic();
    }
    // An empty call still renders `AlarmActions: []` on older aws-cdk-lib releases.
    if (this.actions.length > 0) {
      alarm.addAlarmAction(...this.actions);
    }
    this.list.push(alarm);
    if (kind !== undefined && !this.owned.has(kind)) {
      this.owned.set(kind, alarm);
    }
    const monitoring = ServiceMonitoring.of(this.owner);
    if (monitoring.serviceHealthAlarmEnabled) {
      ServiceHealthAlarm.of(this.owner).watch(alarm);
    }
  }

  /**
   * Lists an alarm another construct owns and already wired (e.g. the schedule-group alarms the group's
   * first schedule created), so `alarms` and `addAlarmAction` cover it too.
   */
  public share(alarm: cloudwatch.Alarm): void {
    if (!this.resolvedTopic) {
      this.resolveTopic();
    }
    this.list.push(alarm);
  }

  /** Adds actions to every alarm of the set, present and future. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.actions.push(...actions);
    for (const alarm of this.list) {
      alarm.addAlarmAction(...actions);
    }
  }

  /** Every alarm of the set, in creation order. */
  public get alarms(): cloudwatch.Alarm[] {
    return [...this.list];
  }

  /** The alarm of one kind, if the set has it. */
  public alarm(kind: Kind): cloudwatch.Alarm | undefined {
    return this.owned.get(kind);
  }

  /** The topic the alarms reach (directly or through the service-health alarm), once there is an alarm. */
  public get topic(): sns.ITopic | undefined {
    return this.resolvedTopic;
  }

  // Resolved on the first alarm, so a construct without alarms adds no topic to the stack.
  private resolveTopic(): void {
    const monitoring = ServiceMonitoring.of(this.owner);
    this.resolvedTopic = this.ownTopic ?? AlarmTopic.of(this.owner).topic;
    const direct = this.ownTopic !== undefined || monitoring.notifyEachAlarm || !monitoring.serviceHealthAlarmEnabled;
    if (direct) {
      this.actions.unshift(new cwactions.SnsAction(this.resolvedTopic));
    }
  }
}
