import { VirtualClock } from '../../../lib/local/clock/clock';
import type { QueueSpec } from '../../../lib/local/model/specs';
import { LocalQueues } from '../../../lib/local/queues/local-queues';

/*
 * SQS semantics the event sources and the SQS endpoint rely on:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 * (a group's messages in order, none while one of the group is in flight), and
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html.
 */

const queue = (name: string, extra: Partial<QueueSpec> = {}): QueueSpec => ({
  logicalId: name, displayName: name, name, arn: `arn:aws:sqs:us-east-1:123456789012:${name}`, url: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`,
  visibilityTimeoutSeconds: 30, delaySeconds: 0, fifo: false, contentBasedDeduplication: false, ...extra,
});

test('FIFO: a group waits while one of its messages is in flight; other groups go; order holds after a failure', () => {
  const clock = new VirtualClock(0);
  const fifo = queue('jobs.fifo', { fifo: true, contentBasedDeduplication: true });
  const queues = new LocalQueues([fifo], clock);
  for (const [group, body] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2']]) queues.send(fifo.arn, body, {}, { groupId: group });
  const first = queues.receive(fifo.arn, 1);
  expect(first.map((r) => r.message.body)).toEqual(['a1']);
  // a1 is in flight: a2 waits, b1 goes.
  const [b1] = queues.receive(fifo.arn, 10);
  expect(b1.message.body).toBe('b1');
  expect(queues.delete(fifo.arn, b1.receiptHandle)).toBe(true);
  // a1 comes back after the visibility timeout, still before a2.
  clock.advanceBy(30_000);
  expect(queues.receive(fifo.arn, 10).map((r) => r.message.body)).toEqual(['a1', 'a2']);
});

test('FIFO content-based deduplication drops a repeat within 5 minutes, not after', () => {
  const clock = new VirtualClock(0);
  const fifo = queue('dedup.fifo', { fifo: true, contentBasedDeduplication: true });
  const queues = new LocalQueues([fifo], clock);
  const original = queues.send(fifo.arn, 'same', {}, { groupId: 'g' })!;
  expect(queues.send(fifo.arn, 'same', {}, { groupId: 'g' })!.messageId).toBe(original.messageId);
  clock.advanceBy(5 * 60_000);
  expect(queues.send(fifo.arn, 'same', {}, { groupId: 'g' })!.messageId).not.toBe(original.messageId);
  expect(queues.list(fifo.arn)).toHaveLength(2);
});

test('delays, ChangeMessageVisibility and stale receipt handles', () => {
  const clock = new VirtualClock(0);
  const q = queue('delayed', { delaySeconds: 5 });
  const queues = new LocalQueues([q], clock);
  queues.send(q.arn, 'later');
  expect(queues.receive(q.arn, 10)).toEqual([]);
  expect(queues.depth(q.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  clock.advanceBy(5_000);
  const [got] = queues.receive(q.arn, 10);
  expect(queues.depth(q.arn)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  expect(queues.changeVisibility(q.arn, got.receiptHandle, 0)).toBe(true);
  const [again] = queues.receive(q.arn, 10);
  expect(again.message.receiveCount).toBe(2);
  // The first receive's handle is stale now.
  expect(queues.delete(q.arn, got.receiptHandle)).toBe(false);
  expect(queues.delete(q.arn, again.receiptHandle)).toBe(true);
  expect(queues.list('delayed')).toEqual([]);
});
