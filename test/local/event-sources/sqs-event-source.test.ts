import { createHash } from 'node:crypto';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { Harness, startHarness } from '../support/runner-harness';

/*
 * SQS event source mappings as users write them (aws-lambda-event-sources' SqsEventSource), run by the runner:
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (SQSEvent records, batch size and window),
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html (partial batch responses),
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html and
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 * (a message received more than maxReceiveCount times moves to the dead-letter queue).
 */

/** Sends each body of the event's `bodies` to QUEUE_URL in one SendMessageBatch, with the AWS SDK. */
const PRODUCER = `
const { SQSClient, SendMessageBatchCommand } = require('@aws-sdk/client-sqs');
const client = new SQSClient({});
exports.handler = async (event) => {
  const out = await client.send(new SendMessageBatchCommand({ QueueUrl: process.env.QUEUE_URL, Entries: event.bodies.map((b, i) => ({ Id: 'm' + i, MessageBody: b, MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } })) }));
  return { sent: (out.Successful || []).map((s) => s.MessageId), failed: out.Failed || [] };
};`;

/** Reports the messages whose body starts with "bad" as failed; echoes the records it saw. */
const PARTIAL = `
exports.handler = async (event) => ({
  batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })),
  seen: event.Records,
});`;

const THROWS = 'exports.handler = async (event) => { throw new Error("cannot take " + event.Records.length); };';
const ECHO = 'exports.handler = async (event) => ({ bodies: event.Records.map((r) => r.body) });';
const SLOW = 'exports.handler = async (event) => { await new Promise((r) => setTimeout(r, 150)); return {}; };';

let assembly: ProbeAssembly;
let h: Harness;

beforeAll(async () => {
  assembly = synthesizeProbe((stack) => {
    const dlq = new sqs.Queue(stack, 'OrdersDlq');
    const orders = new sqs.Queue(stack, 'Orders', { visibilityTimeout: Duration.seconds(30), deadLetterQueue: { queue: dlq, maxReceiveCount: 2 } });
    inlineNodeFunction(stack, 'Producer', PRODUCER, { environment: { QUEUE_URL: orders.queueUrl } });
    inlineNodeFunction(stack, 'Partial', PARTIAL).addEventSource(new SqsEventSource(orders, { batchSize: 10, reportBatchItemFailures: true }));

    const jobs = new sqs.Queue(stack, 'Jobs', { visibilityTimeout: Duration.seconds(45) });
    inlineNodeFunction(stack, 'Thrower', THROWS).addEventSource(new SqsEventSource(jobs));
    inlineNodeFunction(stack, 'JobsProducer', PRODUCER, { environment: { QUEUE_URL: jobs.queueUrl } });

    const windowed = new sqs.Queue(stack, 'Windowed');
    inlineNodeFunction(stack, 'Batcher', ECHO).addEventSource(new SqsEventSource(windowed, { batchSize: 5, maxBatchingWindow: Duration.seconds(10) }));
    inlineNodeFunction(stack, 'WindowProducer', PRODUCER, { environment: { QUEUE_URL: windowed.queueUrl } });

    const busy = new sqs.Queue(stack, 'Busy');
    inlineNodeFunction(stack, 'Slow', SLOW).addEventSource(new SqsEventSource(busy, { batchSize: 1, maxConcurrency: 2 }));
    inlineNodeFunction(stack, 'BusyProducer', PRODUCER, { environment: { QUEUE_URL: busy.queueUrl } });

    const inbox = new sqs.Queue(stack, 'Inbox');
    new events.Rule(stack, 'Placed', { eventPattern: { source: ['shop'], detailType: ['Placed'] }, targets: [new targets.SqsQueue(inbox)] });
    const fed = new sqs.Queue(stack, 'Fed');
    new events.Rule(stack, 'Shipped', { eventPattern: { source: ['shop'], detailType: ['Shipped'] }, targets: [new targets.SqsQueue(fed)] });
    inlineNodeFunction(stack, 'FedConsumer', ECHO).addEventSource(new SqsEventSource(fed));
  });
  h = await startHarness(assembly.directory, new Date('2026-12-01T10:00:00Z'));
}, 60_000);

afterAll(async () => {
  await h?.runner.close();
  assembly?.remove();
});

async function produce(producer: string, bodies: string[]): Promise<string[]> {
  const result = await h.runner.invoke(producer, { bodies });
  expect(result.error).toBeUndefined();
  const out = result.payload as { sent: string[]; failed: unknown[] };
  expect(out.failed).toEqual([]);
  await h.runner.settled();
  return out.sent;
}

test('partial batch failures come back after the visibility timeout and land in the DLQ after maxReceiveCount', async () => {
  const sent = await produce('Producer', ['ok-1', 'bad-2', 'ok-3', 'bad-4']);
  expect(sent).toHaveLength(4);
  const first = h.invocationsOf('Partial');
  expect(first).toHaveLength(1);
  const seen = (first[0].result.payload as { seen: Array<Record<string, any>> }).seen;
  expect(first[0].trigger).toBe('sqs Orders');
  expect(seen.map((r) => r.body)).toEqual(['ok-1', 'bad-2', 'ok-3', 'bad-4']);
  const queueArn = h.runner.model.queues.find((q) => q.displayName === 'Orders')!.arn;
  expect(seen[0]).toEqual({
    messageId: sent[0],
    receiptHandle: expect.any(String),
    body: 'ok-1',
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.parse('2026-12-01T10:00:00Z')),
      SenderId: expect.any(String),
      ApproximateFirstReceiveTimestamp: String(Date.parse('2026-12-01T10:00:00Z')),
    },
    messageAttributes: { kind: { stringValue: 'test', stringListValues: [], binaryListValues: [], dataType: 'String' } },
    md5OfBody: createHash('md5').update('ok-1').digest('hex'),
    md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  });
  // The two good messages were deleted; the two bad ones are in flight.
  expect(h.runner.queues.list('Orders').map((m) => [m.body, m.receiveCount])).toEqual([['bad-2', 1], ['bad-4', 1]]);

  await h.advance(29_000);
  expect(h.invocationsOf('Partial')).toHaveLength(1);
  await h.advance(1_000);
  const second = h.invocationsOf('Partial');
  expect(second).toHaveLength(2);
  const again = (second[1].result.payload as { seen: Array<Record<string, any>> }).seen;
  expect(again.map((r) => [r.body, r.attributes.ApproximateReceiveCount])).toEqual([['bad-2', '2'], ['bad-4', '2']]);

  // Received twice (maxReceiveCount 2): the next receive moves them to the DLQ instead of the function.
  await h.advance(30_000);
  expect(h.invocationsOf('Partial')).toHaveLength(2);
  expect(h.runner.queues.list('Orders')).toEqual([]);
  const dead = h.runner.queues.list('OrdersDlq');
  expect(dead.map((m) => [m.messageId, m.body, m.receiveCount, m.deadLetterSourceArn])).toEqual([[sent[1], 'bad-2', 2, queueArn], [sent[3], 'bad-4', 2, queueArn]]);
  expect(h.lines.filter((l) => l.includes('-> dead-letter queue OrdersDlq'))).toHaveLength(2);
});

test('a function error returns the whole batch after the queue\'s visibility timeout, counting receives', async () => {
  await produce('JobsProducer', ['j1', 'j2']);
  expect(h.invocationsOf('Thrower')).toHaveLength(1);
  expect(h.invocationsOf('Thrower')[0].result.error?.errorMessage).toBe('cannot take 2');
  expect(h.lines.some((l) => l.includes('sqs Jobs -> Thrower: batch of 2 failed (Error); 2 message(s) back after the visibility timeout (45 s)'))).toBe(true);
  await h.advance(44_000);
  expect(h.invocationsOf('Thrower')).toHaveLength(1);
  await h.advance(1_000);
  expect(h.invocationsOf('Thrower')).toHaveLength(2);
  // No redrive policy: the messages stay in the queue, received twice.
  expect(h.runner.queues.list('Jobs').map((m) => m.receiveCount)).toEqual([2, 2]);
});

test('a batching window holds a partial batch until it ends; a full batch goes at once', async () => {
  await produce('WindowProducer', ['w1', 'w2', 'w3']);
  expect(h.invocationsOf('Batcher')).toHaveLength(0);
  await h.advance(9_000);
  expect(h.invocationsOf('Batcher')).toHaveLength(0);
  await h.advance(1_000);
  expect(h.invocationsOf('Batcher').map((r) => r.result.payload)).toEqual([{ bodies: ['w1', 'w2', 'w3'] }]);

  await produce('WindowProducer', ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']);
  expect(h.invocationsOf('Batcher').slice(1).map((r) => r.result.payload)).toEqual([{ bodies: ['x1', 'x2', 'x3', 'x4', 'x5'] }]);
  await h.advance(10_000);
  expect(h.invocationsOf('Batcher').slice(2).map((r) => r.result.payload)).toEqual([{ bodies: ['x6', 'x7'] }]);
});

test('ScalingConfig.MaximumConcurrency 2: six one-message batches run two at a time, on two environments', async () => {
  await produce('BusyProducer', ['1', '2', '3', '4', '5', '6']);
  expect(h.invocationsOf('Slow')).toHaveLength(6);
  expect(h.runner.functions.statsOf(h.runner.functions.resolve('Slow')!.spec.functionName)).toMatchObject({ coldStarts: 2, invocations: 6 });
});

test('an EventBridge rule with an SQS target sends the event as the message body; a consumer gets it', async () => {
  h.runner.putEvents([{ Source: 'shop', DetailType: 'Placed', Detail: JSON.stringify({ orderId: 'o-9' }) }]);
  h.runner.putEvents([{ Source: 'shop', DetailType: 'Shipped', Detail: JSON.stringify({ orderId: 'o-8' }) }]);
  await h.runner.settled();
  const [message] = h.runner.queues.list('Inbox');
  expect(JSON.parse(message.body)).toMatchObject({ source: 'shop', 'detail-type': 'Placed', detail: { orderId: 'o-9' }, account: '123456789012' });
  const consumed = h.invocationsOf('FedConsumer');
  expect(consumed).toHaveLength(1);
  expect(JSON.parse((consumed[0].result.payload as { bodies: string[] }).bodies[0])).toMatchObject({ 'detail-type': 'Shipped', detail: { orderId: 'o-8' } });
});

test('the SQS endpoint speaks the AWS SDK\'s protocol: send, receive (MD5s checked by the SDK), attributes, unknown queues', async () => {
  const client = new SQSClient({ endpoint: h.runner.sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const queueUrl = `${h.runner.sqsEndpoint}/123456789012/${h.runner.model.queues.find((q) => q.displayName === 'Inbox')!.name}`;
  const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'héllo', MessageAttributes: { n: { DataType: 'Number', StringValue: '7' } } }));
  const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'VisibilityTimeout'] }));
  expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: '2', VisibilityTimeout: '30' });
  const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  expect(received.Messages?.map((m) => m.Body)).toEqual([expect.stringContaining('"Placed"'), 'héllo']);
  expect(received.Messages?.[1]).toMatchObject({ MessageId: sent.MessageId, Attributes: { ApproximateReceiveCount: '1' }, MessageAttributes: { n: { DataType: 'Number', StringValue: '7' } } });
  await expect(client.send(new SendMessageCommand({ QueueUrl: `${h.runner.sqsEndpoint}/123456789012/nope`, MessageBody: 'x' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  client.destroy();
  const raw = (target: string, body: string) => fetch(h.runner.sqsEndpoint, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' }, body });
  const answers = await Promise.all([raw('AmazonSQS.SendMessage', 'null'), raw('AmazonSQS.SendMessage', '{'), raw('AmazonSQS.CreateQueue', '{}')]);
  expect(await Promise.all(answers.map(async (a) => [a.status, a.headers.get('x-amzn-query-error'), ((await a.json()) as { __type: string }).__type]))).toEqual([
    [400, 'InvalidParameterValue;Sender', 'com.amazonaws.sqs#InvalidParameterValue'],
    [400, 'InvalidParameterValue;Sender', 'com.amazonaws.sqs#InvalidParameterValue'],
    [400, 'InvalidAction;Sender', 'com.amazonaws.sqs#InvalidAction'],
  ]);
});
