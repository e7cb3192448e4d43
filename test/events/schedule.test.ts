import { CfnResource, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventAlarm, ResilientFunction, ResilientSchedule } from '../../lib';
import { nagFindings } from '../support/nag';
import { echoFunction, newStack } from '../support/stacks';

const aliasRef = (stack: Stack, fn: ResilientFunction) => ({ Ref: stack.resolve((fn.alias.node.defaultChild as CfnResource).logicalId) });

describe('ResilientSchedule defaults', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const nightly = new ResilientSchedule(stack, 'Nightly', {
    schedule: scheduler.ScheduleExpression.expression('cron(0 2 * * ? *)', TimeZone.EUROPE_PARIS),
    target: fn,
  });
  const hourly = new ResilientSchedule(stack, 'Hourly', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: fn });
  const template = Template.fromStack(stack);

  test('an EventBridge Scheduler schedule in the time zone, no window, targeting the alias with retries and a DLQ', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: aliasRef(stack, fn),
        RoleArn: Match.anyValue(),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NightlyDeadLetterQueue'), 'Arn'] } },
      },
    });
    expect(nightly.schedule).toBeInstanceOf(scheduler.Schedule);
  });

  test('IAM: the Scheduler role may invoke the alias only and write to the DLQ; no resource policy on the function', () => {
    const policy = Object.values<any>(template.findResources('AWS::IAM::Policy')).find((p) => p.Properties.Roles[0].Ref.startsWith('SchedulerRole'))!;
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const invoke = statements.filter((st) => st.Action === 'lambda:InvokeFunction');
    expect(invoke.length).toBeGreaterThan(0);
    for (const statement of invoke) {
      expect([statement.Resource].flat()).toEqual([aliasRef(stack, fn)]);
    }
    const send = statements.filter((st) => st.Action === 'sqs:SendMessage').flatMap((st) => [st.Resource].flat());
    expect(send.map((r) => r['Fn::GetAtt'][0]).sort()).toEqual([expect.stringMatching(/^HourlyDeadLetterQueue/), expect.stringMatching(/^NightlyDeadLetterQueue/)]);
    expect(statements.every((st) => ['lambda:InvokeFunction', 'sqs:SendMessage'].includes(st.Action))).toBe(true);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }) } })] },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  test('DLQ: SSE, TLS only, 14 days', () => {
    const dlq = Object.entries<any>(template.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith('NightlyDeadLetterQueue'))![1];
    expect(dlq.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('NightlyDeadLetterQueue') }],
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('alarms: target errors, throttles and DLQ delivery failures of the default group, DLQ depth', () => {
    expect(nightly.alarms.map((a) => a.node.id).sort()).toEqual(Object.values(EventAlarm).sort());
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).toContain('(every schedule of the default schedule group)');
    for (const metricName of ['TargetErrorCount', 'TargetErrorThrottledCount', 'InvocationsFailedToBeSentToDeadLetterCount']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Scheduler', MetricName: metricName, Threshold: 0,
        Dimensions: [{ Name: 'ScheduleGroup', Value: 'default' }],
        AlarmActions: Match.absent(),
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum' });
  });

  test('group alarms exist once per group and are shared; each schedule has its own DLQ depth alarm', () => {
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Scheduler', MetricName: 'TargetErrorCount' }, 1);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: Match.anyValue() }], AlarmDescription: Match.stringLikeRegexp('undelivered events') }, 2);
    const shared = nightly.alarms.filter((a) => hourly.alarms.includes(a));
    expect(shared.map((a) => a.node.id).sort()).toEqual([EventAlarm.DEAD_LETTER_DELIVERY_FAILURES, EventAlarm.FAILED_INVOCATIONS, EventAlarm.THROTTLED].sort());
    // Joined to the service-health alarm once, though two schedules list it.
    const [[sharedId]] = Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'TargetErrorCount' } }));
    const [composite] = Object.values<any>(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(JSON.stringify(composite.Properties.AlarmRule).split(`"${sharedId}"`)).toHaveLength(2);
  });

  test('cdk-nag: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('ResilientSchedule options', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const queue = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true });
  const group = new scheduler.ScheduleGroup(stack, 'Reports', { scheduleGroupName: 'reports' });
  const hourly = new ResilientSchedule(stack, 'Hourly', {
    schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
    target: fn,
    input: scheduler.ScheduleTargetInput.fromObject({ report: 'hourly' }),
    flexibleTimeWindow: Duration.minutes(10),
    retryAttempts: 2,
    maxEventAge: Duration.minutes(30),
    deadLetterQueue: queue,
    scheduleGroup: group,
    enabled: false,
    alarms: { disable: [EventAlarm.THROTTLED] },
  });
  const template = Template.fromStack(stack);

  test('rate, flexible window, input, retry policy, the given queue and group, disabled', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 },
      GroupName: 'reports',
      State: 'DISABLED',
      Target: Match.objectLike({
        Input: '{"report":"hourly"}',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyDlq'), 'Arn'] } },
      }),
    });
    expect(hourly.deadLetterQueue).toBe(queue);
  });

  test('alarms on the given group; no DLQ depth alarm for a queue the user owns; throttles disabled', () => {
    expect(hourly.alarms.map((a) => a.node.id).sort()).toEqual([EventAlarm.DEAD_LETTER_DELIVERY_FAILURES, EventAlarm.FAILED_INVOCATIONS].sort());
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetErrorCount',
      Dimensions: [{ Name: 'ScheduleGroup', Value: 'reports' }],
    });
  });
});
