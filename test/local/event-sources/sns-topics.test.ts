import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { Harness, startHarness } from '../support/runner-harness';

/*
 * SNS topics as EventBridge targets and Lambda destinations, delivering to Lambda and SQS subscriptions:
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html (SNSEvent), https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 * (the notification an SQS subscriber receives), https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html (filter policies on the message body).
 */

const ECHO = 'exports.handler = async (event) => event;';
const FAILS = 'exports.handler = async () => { throw new Error("payment declined"); };';

let assembly: ProbeAssembly;
let h: Harness;

beforeAll(async () => {
  assembly = synthesizeProbe((stack) => {
    const topic = new sns.Topic(stack, 'Orders');
    new events.Rule(stack, 'Placed', { eventPattern: { source: ['shop'] }, targets: [new targets.SnsTopic(topic)] });
    topic.addSubscription(new subscriptions.LambdaSubscription(inlineNodeFunction(stack, 'BigOrders', ECHO), {
      filterPolicyWithMessageBody: { detail: sns.FilterOrPolicy.policy({ total: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numericFilter({ greaterThan: 100 })) }) },
    }));
    const copies = new sqs.Queue(stack, 'Copies');
    topic.addSubscription(new subscriptions.SqsSubscription(copies));
    const raw = new sqs.Queue(stack, 'Raw');
    topic.addSubscription(new subscriptions.SqsSubscription(raw, { rawMessageDelivery: true }));

    const alerts = new sns.Topic(stack, 'Alerts');
    const alertQueue = new sqs.Queue(stack, 'AlertQueue');
    alerts.addSubscription(new subscriptions.SqsSubscription(alertQueue, { rawMessageDelivery: true }));
    inlineNodeFunction(stack, 'Payment', FAILS, { onFailure: new destinations.SnsDestination(alerts), retryAttempts: 0, maxEventAge: Duration.hours(1) });
  });
  h = await startHarness(assembly.directory, new Date('2026-12-01T10:00:00Z'));
}, 60_000);

afterAll(async () => {
  await h?.runner.close();
  assembly?.remove();
});

test('a rule with an SNS target: the Lambda subscriber gets an SNSEvent when its body filter matches; SQS subscribers get the notification or the raw message', async () => {
  h.runner.putEvents([{ Source: 'shop', DetailType: 'Placed', Detail: JSON.stringify({ total: 50 }) }]);
  h.runner.putEvents([{ Source: 'shop', DetailType: 'Placed', Detail: JSON.stringify({ total: 250 }) }]);
  await h.runner.settled();
  const topicArn = h.runner.model.topics[0].arn;
  const big = h.invocationsOf('BigOrders');
  expect(big).toHaveLength(1);
  const record = (big[0].result.payload as { Records: Array<Record<string, any>> }).Records[0];
  expect(record).toMatchObject({ EventVersion: '1.0', EventSource: 'aws:sns', EventSubscriptionArn: expect.stringContaining(`${topicArn}:`) });
  expect(record.Sns).toMatchObject({ Type: 'Notification', TopicArn: topicArn, MessageId: expect.any(String), Timestamp: '2026-12-01T10:00:00.000Z', Subject: null, MessageAttributes: {} });
  expect(JSON.parse(record.Sns.Message)).toMatchObject({ source: 'shop', detail: { total: 250 } });

  const copies = h.runner.queues.list('Copies').map((m) => JSON.parse(m.body));
  expect(copies.map((c) => [c.Type, c.TopicArn, JSON.parse(c.Message).detail.total])).toEqual([['Notification', topicArn, 50], ['Notification', topicArn, 250]]);
  expect(h.runner.queues.list('Raw').map((m) => JSON.parse(m.body).detail.total)).toEqual([50, 250]);
});

test('an SNS on-failure destination receives the invocation record and passes it to its subscribers', async () => {
  expect(h.runner.functions.invokeAsync('Payment', { orderId: 'o-1' }, 'test')).toBe(true);
  await h.runner.settled();
  const [message] = h.runner.queues.list('AlertQueue');
  expect(JSON.parse(message.body)).toMatchObject({ requestContext: { condition: 'RetriesExhausted' }, requestPayload: { orderId: 'o-1' }, responsePayload: { errorMessage: 'payment declined' } });
});
