import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { EventAlarm, EventAlarmsOptions } from './event-alarm-options';
import { createDeliveryAlarms, deliveryPeriod } from './event-alarms';
import { AlarmSet } from '../monitoring/alarm-set';

const DEFAULT_GROUP_ALARMS_ID = 'ResilientDefaultScheduleGroupAlarms';
const GROUP_ALARMS_ID = 'ResilientAlarms';

/** The group-level alarms a schedule shares with the other schedules of its group. */
export interface GroupAlarms {
  readonly alarms: cloudwatch.Alarm[];
  /** False when an earlier schedule of the group created them (with its options and actions). */
  readonly created: boolean;
}

/**
 * The group's alarms go into `set`: created (with the set's actions) by the group's first schedule, shared
 * (listed, already wired) by the others.
 *
 * Scheduler publishes error metrics per schedule group, not per schedule, so one set of alarms per group
 * (created by its first ResilientSchedule) covers all its schedules; one alarm per schedule would fire
 * N times for one failure.
 */
export function scheduleGroupAlarms(set: AlarmSet<EventAlarm>, scope: Construct, group: scheduler.IScheduleGroup | undefined, options: EventAlarmsOptions | undefined): GroupAlarms {
  const stack = Stack.of(scope);
  const parent: Construct = group ?? stack;
  const id = group ? GROUP_ALARMS_ID : DEFAULT_GROUP_ALARMS_ID;
  const existing = parent.node.tryFindChild(id);
  if (existing) {
    const shared = existing.node.children.filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
    shared.forEach((alarm) => set.share(alarm));
    return { alarms: shared, created: false };
  }
  const container = new Construct(parent, id);
  const metricsGroup = group ?? scheduler.ScheduleGroup.fromDefaultScheduleGroup(container, 'Group');
  const sum = { period: deliveryPeriod(options), statistic: 'Sum' };
  const label = group ? `schedule group ${group.node.path}` : 'the default schedule group';
  const alarms = createDeliveryAlarms(set, container, `every schedule of ${label}`, {
    failedInvocations: metricsGroup.metricTargetErrors(sum),
    throttled: metricsGroup.metricTargetThrottled(sum),
    deadLetterDeliveryFailures: metricsGroup.metricFailedToBeSentToDLQ(undefined, sum),
  }, options);
  return { alarms, created: true };
}
