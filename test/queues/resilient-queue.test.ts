import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmTopic, QueueAlarm, ResilientQueue, ServiceHealthAlarm } from '../../lib';
import { nagFindings } from '../support/nag';
import { echoFunction, newStack } from '../support/stacks';

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId);

describe('ResilientQueue defaults', () => {
  const stack = newStack();
  const worker = echoFunction(stack, { timeout: Duration.seconds(20) });
  const jobs = new ResilientQueue(stack, 'Jobs');
  jobs.addConsumer(worker);
  jobs.grantSendMessages(new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() }));
  const template = Template.fromStack(stack);

  test('an SSE-SQS queue redriving to a 14-day dead-letter queue after 5 receives, with a visibility timeout of six consumer timeouts', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 345600,
      VisibilityTimeout: 120,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, jobs.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600, RedrivePolicy: Match.absent() });
  });

  test('both queues refuse requests without TLS', () => {
    const policies = Object.fromEntries(Object.entries(template.findResources('AWS::SQS::QueuePolicy')).filter(([id]) => id.startsWith('Jobs')));
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  test('the consumer reads through the live alias with partial batch responses, batches of 10', () => {
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Array<{ Properties: Record<string, unknown> }>;
    expect(mapping.Properties).toEqual({
      FunctionName: { 'Fn::Join': ['', [{ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: logicalId(stack, worker.alias) }] }] }, ':live']] },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack, jobs.queue), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('alarms on dead letters (> 0) and on the oldest message (> 15 min), joining the service-health alarm that notifies the stack\'s topic', () => {
    expect(jobs.alarms).toHaveLength(2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, Statistic: 'Maximum', TreatMissingData: 'notBreaching' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900, AlarmActions: Match.absent() });
    const health = ServiceHealthAlarm.of(stack);
    for (const alarm of jobs.alarms) expect(health.alarms).toContain(alarm);
    expect(jobs.alarmTopic).toBe(AlarmTopic.of(stack).topic);
  });

  test('cdk-nag (AwsSolutions, Serverless) finds nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('ResilientQueue options', () => {
  const stack = newStack();
  const worker = echoFunction(stack, { timeout: Duration.seconds(10) });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'OnCall', { enforceSSL: true });
  const orders = new ResilientQueue(stack, 'Orders', {
    fifo: true, queueName: 'orders.fifo', encryptionKey: key, maxReceiveCount: 3, visibilityTimeout: Duration.minutes(2), retentionPeriod: Duration.days(7),
    alarmTopic: topic, alarms: { maxMessageAge: Duration.minutes(5), disable: [QueueAlarm.DEAD_LETTER_QUEUE_DEPTH] },
  });
  orders.addConsumer(worker, { batchSize: 5, maxConcurrency: 4, reportBatchItemFailures: false });
  const extra = new cloudwatch.Alarm(stack, 'Unrelated', { metric: orders.queue.metricNumberOfMessagesSent(), threshold: 1, evaluationPeriods: 1 });
  orders.addAlarmAction(new cwactions.SnsAction(new sns.Topic(stack, 'Pager', { enforceSSL: true })));
  const template = Template.fromStack(stack);

  test('FIFO queues with the customer key, the given visibility timeout, retention and maxReceiveCount', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'orders.fifo', FifoQueue: true, KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] }, VisibilityTimeout: 120, MessageRetentionPeriod: 604800,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, KmsMasterKeyId: Match.anyValue(), RedrivePolicy: Match.absent() });
  });

  test('the consumer mapping has the batch size and maximum concurrency, without partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 5, ScalingConfig: { MaximumConcurrency: 4 }, FunctionResponseTypes: Match.absent() });
  });

  test('one alarm (message age > 300 s) notifying the given topic and the added action', () => {
    expect(orders.alarms).toHaveLength(1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 300, AlarmActions: [{ Ref: logicalId(stack, topic) }, { Ref: Match.stringLikeRegexp('Pager') }] });
    expect(orders.alarmTopic).toBe(topic);
    expect(extra.node.path).toBe('Test/Unrelated');
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
