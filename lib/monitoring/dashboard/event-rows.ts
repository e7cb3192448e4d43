import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DashboardRow, RowKind } from './dashboard-row';
import { alarmStatus, alarmsWatching, graph, GRAPH_PERIOD, thresholdOf } from './widgets';
import { ruleDimensions } from '../../events/rule-dimensions';
import type { ResilientEventBus } from '../../events/resilient-event-bus';
import type { ResilientSchedule } from '../../events/resilient-schedule';

const SQS_NAMESPACE = 'AWS/SQS';
const QUEUE_DEPTH = 'ApproximateNumberOfMessagesVisible';

/** A bus's row: per rule, deliveries and failures; the dead-letter queue's depth; the alarms. */
export function eventBusRow(bus: ResilientEventBus): DashboardRow {
  return {
    kind: RowKind.EVENTS,
    title: () => `### Event bus \`${bus.node.path}\` (${bus.rules.length} rule${bus.rules.length === 1 ? '' : 's'})`,
    widgets: () => [
      ...bus.rules.map((rule) => ruleGraph(bus, rule)),
      deadLetterGraph(bus.deadLetterQueue, bus.alarms),
      ...alarmStatus(bus.alarms),
    ],
  };
}

/**
 * A schedule's row. EventBridge Scheduler publishes per schedule group, not per schedule, so the delivery
 * graph covers the schedule's whole group (as its group alarms do); the dead-letter queue is the schedule's own.
 */
export function scheduleRow(schedule: ResilientSchedule): DashboardRow {
  const group = () => schedule.schedule.scheduleGroup?.scheduleGroupName ?? 'default';
  return {
    kind: RowKind.EVENTS,
    title: () => `### Schedule \`${schedule.node.path}\` (deliveries of schedule group \`${group()}\`)`,
    widgets: () => {
      const metric = (metricName: string, label: string) => new cloudwatch.Metric({
        namespace: 'AWS/Scheduler',
        metricName,
        dimensionsMap: { ScheduleGroup: group() },
        period: GRAPH_PERIOD,
        statistic: 'Sum',
        label,
      });
      return [
        graph({
          title: 'Deliveries (whole schedule group)',
          left: [
            metric('InvocationAttemptCount', 'Invocation attempts'),
            metric('TargetErrorCount', 'Target errors'),
            metric('InvocationDroppedCount', 'Dropped after retries'),
            metric('InvocationsSentToDeadLetterCount', 'Sent to the dead-letter queue'),
          ],
          leftAnnotations: alarmsWatching(schedule.alarms, 'AWS/Scheduler', 'TargetErrorCount').map(thresholdOf),
        }),
        deadLetterGraph(schedule.deadLetterQueue, schedule.alarms),
        ...alarmStatus(schedule.alarms),
      ];
    },
  };
}

function ruleGraph(bus: ResilientEventBus, rule: events.Rule): cloudwatch.IWidget {
  const metric = (metricName: string, label: string) => new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap: ruleDimensions(bus.eventBus, rule),
    period: GRAPH_PERIOD,
    statistic: 'Sum',
    label,
  });
  const ruleAlarms = bus.alarms.filter((alarm) => alarm.node.scope === rule);
  return graph({
    title: `Rule ${rule.node.id}`,
    left: [
      metric('Invocations', 'Invocations'),
      metric('FailedInvocations', 'Failed'),
      metric('ThrottledRules', 'Throttled'),
      metric('InvocationsSentToDlq', 'Sent to the dead-letter queue'),
    ],
    leftAnnotations: alarmsWatching(ruleAlarms, 'AWS/Events', 'FailedInvocations').map(thresholdOf),
  });
}

function deadLetterGraph(queue: sqs.IQueue, alarms: cloudwatch.Alarm[]): cloudwatch.IWidget {
  return graph({
    title: 'Dead-letter queue',
    left: [queue.metricApproximateNumberOfMessagesVisible({ period: GRAPH_PERIOD, statistic: 'Maximum', label: 'Undelivered events waiting' })],
    leftAnnotations: alarmsWatching(alarms, SQS_NAMESPACE, QUEUE_DEPTH)
      .filter((alarm) => dimensionsOf(alarm.metric).QueueName === queue.queueName)
      .map(thresholdOf),
  });
}

function dimensionsOf(metric: cloudwatch.IMetric): cloudwatch.DimensionsMap {
  return metric instanceof cloudwatch.Metric ? (metric.dimensions ?? {}) as cloudwatch.DimensionsMap : {};
}
