import { Token } from 'aws-cdk-lib';
import type { ResilientQueueProps, QueueConsumerOptions } from './resilient-queue';
import { isConcrete, PropsValidator } from '../private/validation';

/** Checks a ResilientQueue's props against SQS's limits: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html */
export function validateQueueProps(v: PropsValidator, props: ResilientQueueProps): void {
  const fifo = props.fifo ?? false;
  if (isConcrete(props.queueName)) {
    const base = props.queueName.replace(/\.fifo$/, '');
    v.check(/^[A-Za-z0-9_-]{1,75}$/.test(base) && props.queueName.length <= 80, 'queueName', props.queueName, 'up to 80 letters, digits, - and _ (plus .fifo)');
    v.check(props.queueName.endsWith('.fifo') === fifo, 'queueName', props.queueName, fifo ? 'a name ending in .fifo for a FIFO queue' : 'a name without .fifo unless fifo is true');
  }
  v.integer('maxReceiveCount', props.maxReceiveCount, 1, 1000);
  seconds(v, 'visibilityTimeout (seconds)', props.visibilityTimeout?.toSeconds(), 0, 43_200);
  seconds(v, 'retentionPeriod (seconds)', props.retentionPeriod?.toSeconds(), 60, 1_209_600);
  if (props.deadLetterQueue) {
    v.check(props.deadLetterQueue.fifo === fifo, 'deadLetterQueue', props.deadLetterQueue.node.path, fifo ? 'a FIFO queue (the queue is FIFO)' : 'a standard queue (the queue is not FIFO)');
  }
  const alarms = props.alarms ?? {};
  v.integer('alarms.maxDeadLetterMessages', alarms.maxDeadLetterMessages, 0);
  seconds(v, 'alarms.maxMessageAge (seconds)', alarms.maxMessageAge?.toSeconds(), 60, 1_209_600);
  seconds(v, 'alarms.period (seconds)', alarms.period?.toSeconds(), 60, 86_400);
  v.integer('alarms.evaluationPeriods', alarms.evaluationPeriods, 1);
  v.integer('alarms.datapointsToAlarm', alarms.datapointsToAlarm, 1, alarms.evaluationPeriods ?? 1);
}

/** What a consumer is checked against. */
export interface ConsumerContext {
  readonly fifo: boolean;
  /** The function's timeout, when known (undefined for imported functions). */
  readonly timeoutSeconds?: number;
  /** The queue's visibility timeout when the user set it. */
  readonly visibilityTimeoutSeconds?: number;
}

/** Checks a consumer against Lambda's SQS limits: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html */
export function validateConsumer(v: PropsValidator, options: QueueConsumerOptions, context: ConsumerContext): void {
  const window = options.maxBatchingWindow?.toSeconds();
  v.integer('batchSize', options.batchSize, 1, context.fifo ? 10 : 10_000);
  if (isConcrete(options.batchSize) && options.batchSize > 10 && !context.fifo) {
    v.check(isConcrete(window) && window >= 1, 'maxBatchingWindow', options.maxBatchingWindow?.toHumanString(), `at least 1 second when batchSize is above 10 (batchSize ${options.batchSize})`);
  }
  seconds(v, 'maxBatchingWindow (seconds)', window, 0, 300);
  if (context.fifo) v.check(window === undefined, 'maxBatchingWindow', options.maxBatchingWindow?.toHumanString(), 'unset on a FIFO queue (Lambda does not batch FIFO messages over time)');
  v.integer('maxConcurrency', options.maxConcurrency, 2, 1000);
  if (context.timeoutSeconds === undefined) {
    v.check(context.visibilityTimeoutSeconds !== undefined, 'visibilityTimeout', undefined,
      'set on the ResilientQueue when a consumer\'s timeout is not known here (an imported function): at least six times that timeout');
    return;
  }
  const needed = 6 * (context.timeoutSeconds + (isConcrete(window) ? window : 0));
  if (context.visibilityTimeoutSeconds !== undefined && !Token.isUnresolved(context.visibilityTimeoutSeconds)) {
    v.check(context.visibilityTimeoutSeconds >= needed, 'visibilityTimeout (seconds)', context.visibilityTimeoutSeconds,
      `at least ${needed}: six times the consumer's timeout (${context.timeoutSeconds} s) plus its batching window, so a message is not delivered again while an invocation still works on it`);
  }
}

function seconds(v: PropsValidator, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  v.check(Number.isInteger(value) && value >= min && value <= max, prop, value, `a whole number from ${min} to ${max}`);
}
