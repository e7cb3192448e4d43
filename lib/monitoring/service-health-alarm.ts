import { Aws, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic';

/** CloudWatch caps a composite alarm's rule at 10 240 characters and 100 alarms. */
const MAX_RULE_CHARS = 10240;
const MAX_RULE_ALARMS = 100;
/**
 * The longest `ALARM("<arn>") OR ` one child can render to: a partition-qualified ARN, a region name of
 * up to 20 characters, a 12-digit account and an alarm name at CloudWatch's 255-character maximum
 * (CloudFormation generates the names of our alarms, so their length is not ours to choose).
 */
const WORST_CASE_CHILD_CHARS = 'ALARM("")'.length + 'arn:aws-us-gov:cloudwatch:'.length + 20 + ':'.length + 12 + ':alarm:'.length + 255 + ' OR '.length;

/** Children of one composite alarm: 30, so a rule stays under the character limit whatever the names. */
export const MAX_CHILDREN_PER_COMPOSITE = Math.min(MAX_RULE_ALARMS, Math.floor((MAX_RULE_CHARS - '()'.length) / WORST_CASE_CHILD_CHARS));

/**
 * One composite alarm per stack over every alarm the library made, notifying the stack's alarm topic:
 * an outage that sets off many alarms pages once.
 *
 * Created on first use (by the first library alarm). Up to 30 alarms are children of the service-health
 * alarm itself; beyond that they are spread over intermediate composites of 30 each (`ServiceHealth-1`,
 * `-2`, ...) that the service-health alarm watches, so the rule never exceeds CloudWatch's limits of
 * 100 alarms and 10 240 characters. Turn it off with `ServiceMonitoring.configure(stack, { serviceHealthAlarm: false })`.
 */
export class ServiceHealthAlarm extends Construct {
  /** The stack's service-health alarm, created on first call. */
  public static of(scope: Construct): ServiceHealthAlarm {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ServiceHealthAlarm.ID);
    return existing instanceof ServiceHealthAlarm ? existing : new ServiceHealthAlarm(stack, ServiceHealthAlarm.ID);
  }

  private static readonly ID = 'ResilientServiceHealth';

  /** The composite alarm that pages: add more actions to it (e.g. an incident manager) with `addAlarmAction`. */
  public readonly alarm: cloudwatch.CompositeAlarm;

  private readonly children: cloudwatch.IAlarm[] = [];
  private readonly groups: cloudwatch.CompositeAlarm[] = [];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // The rule is rendered at synth time, when every alarm of the stack has been registered.
    this.alarm = new cloudwatch.CompositeAlarm(this, 'Alarm', {
      compositeAlarmName: `${Aws.STACK_NAME}-ServiceHealth`,
      alarmDescription: `An alarm of the service in stack ${Stack.of(this).stackName} is in ALARM: the first one pages, the others join the same notification until all are OK again`,
      alarmRule: lazyAnyOf(() => this.children.length <= MAX_CHILDREN_PER_COMPOSITE ? this.children : this.groups),
    });
    this.alarm.addAlarmAction(new cwactions.SnsAction(AlarmTopic.of(this).topic));
  }

  /** Every alarm this composite watches, directly or through an intermediate composite. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.children];
  }

  /** Adds an alarm to the service's health. */
  public watch(alarm: cloudwatch.IAlarm): void {
    this.children.push(alarm);
    const needed = this.children.length <= MAX_CHILDREN_PER_COMPOSITE ? 0 : Math.ceil(this.children.length / MAX_CHILDREN_PER_COMPOSITE);
    if (needed > MAX_CHILDREN_PER_COMPOSITE) {
      throw new Error(`${this.node.path}: ${this.children.length} alarms exceed the ${MAX_CHILDREN_PER_COMPOSITE * MAX_CHILDREN_PER_COMPOSITE} one service-health alarm can watch through one level of composites (a stack holds at most 500 resources, so this means alarms from another stack were registered)`);
    }
    while (this.groups.length < needed) {
      const index = this.groups.length;
      this.groups.push(new cloudwatch.CompositeAlarm(this, `Group${index + 1}`, {
        compositeAlarmName: `${Aws.STACK_NAME}-ServiceHealth-${index + 1}`,
        alarmDescription: `Alarms ${index * MAX_CHILDREN_PER_COMPOSITE + 1} to ${(index + 1) * MAX_CHILDREN_PER_COMPOSITE} of the service in stack ${Stack.of(this).stackName}; the service-health alarm watches it and pages`,
        alarmRule: lazyAnyOf(() => this.children.slice(index * MAX_CHILDREN_PER_COMPOSITE, (index + 1) * MAX_CHILDREN_PER_COMPOSITE)),
      }));
    }
  }
}

/** `ALARM(a) OR ALARM(b) ...` over alarms known only at synth time; `FALSE` when there are none. */
function lazyAnyOf(alarms: () => cloudwatch.IAlarm[]): cloudwatch.IAlarmRule {
  const rule = Lazy.string({
    produce: () => {
      const list = alarms();
      return list.length === 0 ? cloudwatch.AlarmRule.fromBoolean(false).renderAlarmRule() : cloudwatch.AlarmRule.anyOf(...list).renderAlarmRule();
    },
  });
  return { renderAlarmRule: () => rule };
}
