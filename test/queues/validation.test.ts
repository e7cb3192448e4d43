import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { QueueConsumerOptions, ResilientQueue, ResilientQueueProps } from '../../lib';
import { echoFunction, newStack } from '../support/stacks';

// One stack and one function for every case: the constructs are cheap, bundling a function is not.
const stack = newStack('Stage');
const fn = echoFunction(stack, { timeout: Duration.seconds(20) });
const standardDlq = new sqs.Queue(stack, 'StandardDlq', { enforceSSL: true });
let counter = 0;

function messageOf(action: () => void): string {
  try {
    action();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

const queueCases: Array<[string, ResilientQueueProps, string[]]> = [
  ['.fifo name on a standard queue', { queueName: 'jobs.fifo' }, ['queueName must be a name without .fifo unless fifo is true, got "jobs.fifo"']],
  ['FIFO queue without .fifo', { fifo: true, queueName: 'jobs' }, ['queueName must be a name ending in .fifo for a FIFO queue, got "jobs"']],
  ['bad characters in the name', { queueName: 'my jobs!' }, ['queueName must be up to 80 letters, digits, - and _ (plus .fifo), got "my jobs!"']],
  ['maxReceiveCount 0', { maxReceiveCount: 0 }, ['maxReceiveCount must be an integer between 1 and 1000, got 0']],
  ['maxReceiveCount 1001', { maxReceiveCount: 1001 }, ['maxReceiveCount must be an integer between 1 and 1000, got 1001']],
  ['visibility timeout over 12 hours', { visibilityTimeout: Duration.hours(13) }, ['visibilityTimeout (seconds) must be a whole number from 0 to 43200, got 46800']],
  ['retention under a minute', { retentionPeriod: Duration.seconds(30) }, ['retentionPeriod (seconds) must be a whole number from 60 to 1209600, got 30']],
  ['retention over 14 days', { retentionPeriod: Duration.days(15) }, ['retentionPeriod (seconds) must be a whole number from 60 to 1209600, got 1296000']],
  ['a standard dead-letter queue for a FIFO queue', { fifo: true, deadLetterQueue: standardDlq }, ['deadLetterQueue must be a FIFO queue (the queue is FIFO), got "Stage/StandardDlq"']],
  ['more datapoints than periods', { alarms: { evaluationPeriods: 2, datapointsToAlarm: 3 } }, ['alarms.datapointsToAlarm must be an integer between 1 and 2, got 3']],
  ['message age alarm under a minute', { alarms: { maxMessageAge: Duration.seconds(30) } }, ['alarms.maxMessageAge (seconds) must be a whole number from 60 to 1209600, got 30']],
];

describe('ResilientQueue: bad props fail at synth time naming the construct, the prop, the value and what is allowed', () => {
  test.each(queueCases)('%s', (_name, props, fragments) => {
    const id = `Queue${++counter}`;
    const message = messageOf(() => new ResilientQueue(stack, id, props));
    expect(message).toContain(`ResilientQueue at 'Stage/${id}' has 1 problem in its props:`);
    for (const fragment of fragments) expect(message).toContain(fragment);
  });

  test('several problems are reported together', () => {
    const message = messageOf(() => new ResilientQueue(stack, 'Many', { maxReceiveCount: 0, retentionPeriod: Duration.seconds(1) }));
    expect(message).toContain('has 2 problems');
  });
});

const consumerCases: Array<[string, ResilientQueueProps, QueueConsumerOptions, string]> = [
  ['batch size 0', {}, { batchSize: 0 }, 'batchSize must be an integer between 1 and 10000, got 0'],
  ['batch size above 10 without a window', {}, { batchSize: 50 }, 'maxBatchingWindow must be at least 1 second when batchSize is above 10 (batchSize 50), got undefined'],
  ['batch size above 10 on a FIFO queue', { fifo: true }, { batchSize: 20 }, 'batchSize must be an integer between 1 and 10, got 20'],
  ['a batching window on a FIFO queue', { fifo: true }, { maxBatchingWindow: Duration.seconds(5) }, 'maxBatchingWindow must be unset on a FIFO queue'],
  ['a window over 5 minutes', {}, { maxBatchingWindow: Duration.seconds(301) }, 'maxBatchingWindow (seconds) must be a whole number from 0 to 300, got 301'],
  ['max concurrency 1', {}, { maxConcurrency: 1 }, 'maxConcurrency must be an integer between 2 and 1000, got 1'],
  ['a visibility timeout shorter than six consumer timeouts', { visibilityTimeout: Duration.seconds(60) }, {}, 'visibilityTimeout (seconds) must be at least 120: six times the consumer\'s timeout (20 s) plus its batching window'],
  ['the batching window counts too', { visibilityTimeout: Duration.seconds(120) }, { maxBatchingWindow: Duration.seconds(10) }, 'visibilityTimeout (seconds) must be at least 180'],
];

describe('addConsumer: bad options fail naming the queue, the consumer, the option and what is allowed; nothing is added', () => {
  test.each(consumerCases)('%s', (_name, props, options, fragment) => {
    const queue = new ResilientQueue(stack, `Consumed${++counter}`, props);
    const message = messageOf(() => queue.addConsumer(fn, options));
    expect(message).toContain(`ResilientQueue.addConsumer(Fn) at 'Stage/${queue.node.id}' has`);
    expect(message).toContain(fragment);
    expect(fn.alias.node.tryFindChild(`${queue.node.id}Consumer`)).toBeUndefined();
  });

  test('an imported function needs an explicit visibility timeout', () => {
    const imported = lambda.Function.fromFunctionName(stack, 'Imported', 'elsewhere');
    const queue = new ResilientQueue(stack, 'ForImported');
    expect(messageOf(() => queue.addConsumer(imported))).toContain('visibilityTimeout must be set on the ResilientQueue when a consumer\'s timeout is not known here (an imported function)');
    const explicit = new ResilientQueue(stack, 'ExplicitTimeout', { visibilityTimeout: Duration.minutes(5) });
    expect(() => explicit.addConsumer(imported)).not.toThrow();
  });
});
