import { DashboardRow, RowKind } from './dashboard-row';
import { alarmStatus, alarmsWatching, graph, GRAPH_PERIOD, thresholdOf } from './widgets';
import type { ResilientQueue } from '../../queues/resilient-queue';

/** A queue's row: traffic through it, the backlog and its age, the dead-letter queue's depth; the alarms. */
export function queueRow(queue: ResilientQueue): DashboardRow {
  return {
    kind: RowKind.EVENTS,
    title: () => `### Queue \`${queue.node.path}\``,
    widgets: () => {
      const sum = { period: GRAPH_PERIOD, statistic: 'Sum' };
      const max = { period: GRAPH_PERIOD, statistic: 'Maximum' };
      return [
        graph({
          title: 'Messages',
          left: [
            queue.queue.metricNumberOfMessagesSent({ ...sum, label: 'Sent' }),
            queue.queue.metricNumberOfMessagesReceived({ ...sum, label: 'Received' }),
            queue.queue.metricNumberOfMessagesDeleted({ ...sum, label: 'Deleted (processed)' }),
          ],
        }),
        graph({
          title: 'Backlog',
          left: [
            queue.queue.metricApproximateNumberOfMessagesVisible({ ...max, label: 'Waiting' }),
            queue.queue.metricApproximateNumberOfMessagesNotVisible({ ...max, label: 'In flight' }),
          ],
        }),
        graph({
          title: 'Oldest message (s)',
          left: [queue.queue.metricApproximateAgeOfOldestMessage({ ...max, label: 'Age of the oldest message' })],
          leftAnnotations: alarmsWatching(queue.alarms, 'AWS/SQS', 'ApproximateAgeOfOldestMessage').map(thresholdOf),
        }),
        graph({
          title: 'Dead-letter queue',
          left: [queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...max, label: 'Failed maxReceiveCount times' })],
          leftAnnotations: alarmsWatching(queue.alarms, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible').map(thresholdOf),
        }),
        ...alarmStatus(queue.alarms),
      ];
    },
  };
}
