import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventAlarm, ResilientEventBus, ResilientFunction } from '../../lib';
import { nagFindings } from '../support/nag';
import { echoFunction, newStack } from '../support/stacks';

const aliasRef = (stack: Stack, fn: ResilientFunction) => ({ Ref: stack.resolve((fn.alias.node.defaultChild as CfnResource).logicalId) });

describe('ResilientEventBus defaults', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const other = echoFunction(stack, {}, 'Other');
  const bus = new ResilientEventBus(stack, 'Orders');
  bus.addRule('Placed', { eventPattern: { source: ['example.orders'], detailType: ['OrderPlaced'] }, target: fn });
  bus.addRule('Cancelled', { eventPattern: { source: ['example.orders'], detail: { status: ['CANCELLED'] } }, target: other });
  const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
  bus.grantPutEvents(producer);
  const template = Template.fromStack(stack);

  test('a custom bus, exposed as eventBus', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    expect(bus.eventBus).toBeInstanceOf(events.EventBus);
    expect(bus.rules).toHaveLength(2);
    template.resourceCountIs('AWS::Events::Archive', 0);
  });

  test('rules target the live alias with the retry policy and the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('OrdersBus') },
      EventPattern: { 'source': ['example.orders'], 'detail-type': ['OrderPlaced'] },
      Targets: [{
        Id: Match.anyValue(),
        Arn: aliasRef(stack, fn),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersDeadLetterQueue'), 'Arn'] } },
      }],
    });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['example.orders'], detail: { status: ['CANCELLED'] } } });
  });

  test('IAM: EventBridge may invoke the aliases only, each from its own rule', () => {
    const permissions = Object.values<any>(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(2);
    expect(permissions.map((p) => p.Properties.FunctionName)).toEqual(expect.arrayContaining([aliasRef(stack, fn), aliasRef(stack, other)]));
    for (const permission of permissions) {
      expect(permission.Properties).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^Orders(Placed|Cancelled)/), 'Arn'] } });
    }
  });

  test('one dead-letter queue for the bus: SSE, TLS only, 14 days, writable only by the rules', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const dlq = Object.entries<any>(queues).find(([id]) => id.startsWith('OrdersDeadLetterQueue'))![1];
    expect(dlq.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const policy = Object.values<any>(template.findResources('AWS::SQS::QueuePolicy')).find((p) => JSON.stringify(p).includes('OrdersDeadLetterQueue'))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s: any) => s.Effect === 'Allow');
    expect(allows).toHaveLength(2);
    for (const allow of allows) {
      expect(allow).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': expect.anything() } } });
    }
  });

  test('alarms per rule (failed, throttled, DLQ delivery failures) on EventBusName + RuleName, and DLQ depth', () => {
    expect(bus.alarms).toHaveLength(1 + 2 * 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events', MetricName: 'FailedInvocations', Statistic: 'Sum', Threshold: 0, EvaluationPeriods: 1, DatapointsToAlarm: 1,
      Dimensions: [{ Name: 'EventBusName', Value: { Ref: Match.stringLikeRegexp('OrdersBus') } }, // On a custom bus the rule's Ref is `bus|rule`; the metrics carry the part after the `|`.
      { Name: 'RuleName', Value: { 'Fn::Select': [1, { 'Fn::Split': ['|', { Ref: Match.stringLikeRegexp('OrdersPlaced') }] }] } }],
      AlarmActions: Match.absent(),
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Events', MetricName: 'ThrottledRules' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Events', MetricName: 'InvocationsFailedToBeSentToDlq' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersDeadLetterQueue'), 'QueueName'] } }],
    });
  });

  test('grantPutEvents: events:PutEvents on this bus only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Producer') }],
      PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersBus'), 'Arn'] } }] },
    });
  });

  test('cdk-nag: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('ResilientEventBus options', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const topic = new sns.Topic(stack, 'OnCall', { enforceSSL: true });
  const queue = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true });
  const defaultBus = new ResilientEventBus(stack, 'Platform', {
    eventBus: events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default'),
    deadLetterQueue: queue,
    alarmTopic: topic,
    alarms: { disable: [EventAlarm.THROTTLED], maxFailedInvocations: 3, evaluationPeriods: 3, datapointsToAlarm: 2 },
  });
  defaultBus.addRule('S3Uploads', {
    eventPattern: { source: ['aws.s3'], detailType: ['Object Created'] },
    target: fn,
    retryAttempts: 3,
    maxEventAge: Duration.hours(1),
    input: events.RuleTargetInput.fromEventPath('$.detail'),
    enabled: false,
  });
  const archived = new ResilientEventBus(stack, 'Audit', {
    eventBusName: 'audit',
    archive: { retention: Duration.days(90), eventPattern: { source: ['example.audit'] } },
    alarms: { enabled: false },
  });
  archived.addRule('All', { eventPattern: { source: ['example.audit'] }, target: fn });
  const quiet = new ResilientEventBus(stack, 'Quiet', { deadLetterQueue: queue });
  const custom = new ResilientEventBus(stack, 'Custom', { alarms: { enabled: false } });
  custom.addRule('S3OnCustom', { eventPattern: { source: ['aws.s3', 'example.files'] }, target: fn });
  const template = Template.fromStack(stack);

  test('a rule for AWS service events on a custom bus is flagged; on the default bus it is not', () => {
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Test/Custom/S3OnCustom', Match.stringLikeRegexp('Rule matches aws.s3 on a custom bus, but AWS services send their events to the default bus'));
    annotations.hasNoWarning('/Test/Platform/S3Uploads', Match.anyValue());
  });

  test('the default bus: no new bus, rule metrics by RuleName only', () => {
    template.resourcePropertiesCountIs('AWS::Events::EventBus', { Name: 'audit' }, 1);
    // Audit, Custom and Quiet create buses; Platform uses the default one.
    template.resourceCountIs('AWS::Events::EventBus', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedInvocations', Threshold: 3, EvaluationPeriods: 3, DatapointsToAlarm: 2,
      Dimensions: [{ Name: 'RuleName', Value: { Ref: Match.stringLikeRegexp('PlatformS3Uploads') } }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('OnCall') }],
    });
  });

  test('the given queue, retry policy, input and disabled state', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'DISABLED',
      Targets: [Match.objectLike({
        InputPath: '$.detail',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyDlq'), 'Arn'] } },
      })],
    });
    expect(defaultBus.deadLetterQueue).toBe(queue);
  });

  test('alarms: throttled disabled, no DLQ depth alarm for a queue the user owns', () => {
    expect(defaultBus.alarms.map((a) => a.node.id).sort()).toEqual([EventAlarm.DEAD_LETTER_DELIVERY_FAILURES, EventAlarm.FAILED_INVOCATIONS].sort());
    expect(archived.alarms).toEqual([]);
    expect(archived.alarmTopic).toBeUndefined();
    // A bus with no rules and the user's own queue has nothing to alarm on, so it resolves no topic.
    expect(quiet.alarms).toEqual([]);
    expect(quiet.alarmTopic).toBeUndefined();
    expect(defaultBus.alarmTopic).toBe(topic);
  });

  test('archive with retention and pattern', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      RetentionDays: 90,
      EventPattern: { source: ['example.audit'] },
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditBus'), 'Arn'] },
    });
    expect(archived.archive).toBeInstanceOf(events.Archive);
  });
});
