import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlarmProfile, FunctionAlarm, ProvisionedConcurrency, ServiceMonitoring } from '../../lib';
import { nagFindings } from '../support/nag';
import { ECHO_HANDLER, echoFunction, newStack } from '../support/stacks';

const businessHours = appscaling.Schedule.cron({ minute: '0', hour: '8', weekDay: 'MON-FRI' });
// The alias's async config is qualified by the alias: the 8th field of the alias ARN ("live"), never $LATEST.
const ALIAS_QUALIFIER = { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: Match.stringLikeRegexp('FnLiveAlias') }] }] };
const evening = appscaling.Schedule.cron({ minute: '0', hour: '19', weekDay: 'MON-FRI' });

describe('defaults', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const template = Template.fromStack(stack);

  test('function: Node.js 24 on arm64, explicit memory and timeout, X-Ray, own log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('FnLogGroup') } },
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('role: no AWS managed policy, log writes scoped to the function log group, every statement inline (no AWS::IAM::Policy)', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
      Policies: [{
        PolicyName: 'Permissions',
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('FnLogGroup'), 'Arn'] },
          }, Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] }),
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']) })]),
        },
      }],
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('live alias over the current version', () => {
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('FnFunctionCurrentVersion'), 'Version'] },
      ProvisionedConcurrencyConfig: Match.absent(),
    });
    expect(fn.alias.aliasName).toBe('live');
    expect(fn.function).toBeInstanceOf(lambda.Function);
  });

  test('failed async invocations go to an encrypted, TLS-only queue: DLQ and the alias on-failure destination', () => {
    const queue = { 'Fn::GetAtt': [Match.stringLikeRegexp('FnFailedInvocations'), 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: queue } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      Qualifier: ALIAS_QUALIFIER,
      DestinationConfig: { OnFailure: { Destination: queue } },
    });
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('alarms (ESSENTIAL): one unnamed Health alarm on the alias watching every signal, joined to the service-health alarm', () => {
    expect(fn.alarms.map((a) => a.node.id)).toEqual([FunctionAlarm.HEALTH]);
    expect(fn.alarmProfile).toBe(AlarmProfile.ESSENTIAL);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarm.Properties.AlarmName).toBeUndefined();
    expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    expect(alarm.Properties.AlarmActions).toBeUndefined();
    expect(alarm.Properties).toMatchObject({ Threshold: 0, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    const metrics = alarm.Properties.Metrics as any[];
    expect(metrics.find((m) => m.ReturnData !== false).Expression).toBe(
      'IF(FILL(errorRate, 0) > 1 OR FILL(throttles, 0) > 0 OR FILL(p99Duration, 0) > 8000 OR FILL(deadLetters, 0) > 0 OR FILL(deliveryFailures, 0) > 0, 1, 0)');
    expect(metrics.find((m) => m.Id === 'errorRate').Expression).toBe('IF(FILL(invocations, 0) >= 10, 100 * FILL(errors, 0) / invocations, 0)');
    expect(metrics.find((m) => m.Id === 'p99Duration').Expression).toBe('IF(FILL(invocations, 0) >= 10, duration, 0)');
    expect(metrics.find((m) => m.Id === 'duration').MetricStat).toMatchObject({ Stat: 'p99', Metric: { MetricName: 'Duration' } });
    expect(metrics.find((m) => m.Id === 'duration').MetricStat.Metric.Dimensions).toContainEqual({ Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: expect.any(String) }, ':live']] } });
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
  });

  test('the shared alarm topic is KMS-encrypted with a rotating key CloudWatch may use, and TLS-only', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ResilientAlarmTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('cdk-nag AwsSolutions and Serverless: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('alarms under AlarmProfile.FULL', () => {
  const stack = newStack();
  ServiceMonitoring.configure(stack, { alarmProfile: AlarmProfile.FULL });
  const fn = echoFunction(stack);
  const template = Template.fromStack(stack);

  test('error rate, throttles, p99 duration, DLQ depth, async delivery failures, all on the alias, unnamed, joined to the service health', () => {
    expect(fn.alarms.map((a) => a.node.id)).toEqual([FunctionAlarm.ERROR_RATE, FunctionAlarm.THROTTLES, FunctionAlarm.DURATION_P99,
      FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH, FunctionAlarm.ASYNC_DELIVERY_FAILURES]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmName).toBeUndefined();
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 8000,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(FILL(invocations, 0) >= 10, duration, 0)' }),
        Match.objectLike({ Id: 'duration', MetricStat: Match.objectLike({ Stat: 'p99', Metric: Match.objectLike({ MetricName: 'Duration' }) }) }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Threshold: 0, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(FILL(invocations, 0) >= 10, 100 * FILL(errors, 0) / invocations, 0)' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DestinationDeliveryFailures' });
  });

  test('a function overrides the stack profile', () => {
    const essential = echoFunction(stack, { alarms: { profile: AlarmProfile.ESSENTIAL } }, 'Essential');
    expect(essential.alarms.map((a) => a.node.id)).toEqual([FunctionAlarm.HEALTH]);
  });
});

describe('provisioned concurrency', () => {
  test('fixed (ESSENTIAL): spillover joins the Health alarm; utilization, which only warns of spillover, is left out', () => {
    const stack = newStack();
    echoFunction(stack, { provisionedConcurrency: ProvisionedConcurrency.fixed(5) });
    const [alarm] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    const returned = (alarm.Properties.Metrics as any[]).find((m) => m.ReturnData !== false);
    expect(returned.Expression).toContain('FILL(spillover, 0) > 0');
    expect(returned.Expression).not.toContain('pcUtilization');
  });

  test('fixed (FULL): allocation on the alias, PC alarms, no autoscaling', () => {
    const stack = newStack();
    const fn = echoFunction(stack, { provisionedConcurrency: ProvisionedConcurrency.fixed(5), alarms: { profile: AlarmProfile.FULL } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 } });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(fn.scalableTarget).toBeUndefined();
    expect(fn.alarm(FunctionAlarm.PROVISIONED_SPILLOVER)).toBeDefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ProvisionedConcurrencySpilloverInvocations', Statistic: 'Sum', Threshold: 0 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 90,
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ProvisionedConcurrencyUtilization' }), Stat: 'Maximum' }) })]),
    });
  });

  test('autoscaled: target tracking on utilization plus scheduled windows with time zone', () => {
    const stack = newStack();
    echoFunction(stack, {
      provisionedConcurrency: ProvisionedConcurrency.autoscaled({
        minCapacity: 2, maxCapacity: 20, utilizationTarget: 0.6,
        schedules: [
          { name: 'BusinessHours', schedule: businessHours, minCapacity: 10, maxCapacity: 40, timeZone: TimeZone.EUROPE_BERLIN },
          { name: 'Evening', schedule: evening, minCapacity: 2 },
        ],
      }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 20,
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      ServiceNamespace: 'lambda',
      ResourceId: { 'Fn::Join': ['', ['function:', Match.anyValue(), ':live']] },
      ScheduledActions: [
        { ScheduledActionName: 'BusinessHours', Schedule: 'cron(0 8 ? * MON-FRI *)', Timezone: 'Europe/Berlin', ScalableTargetAction: { MinCapacity: 10, MaxCapacity: 40 } },
        { ScheduledActionName: 'Evening', Schedule: 'cron(0 19 ? * MON-FRI *)', ScalableTargetAction: { MinCapacity: 2 } },
      ],
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 0.6,
        PredefinedMetricSpecification: { PredefinedMetricType: 'LambdaProvisionedConcurrencyUtilization' },
      },
    });
  });

  test('scheduled: windows without target tracking', () => {
    const stack = newStack();
    const fn = echoFunction(stack, {
      provisionedConcurrency: ProvisionedConcurrency.scheduled({ minCapacity: 1, schedules: [{ name: 'Day', schedule: businessHours, minCapacity: 5, maxCapacity: 5 }] }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 0);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 1, ScheduledActions: Match.arrayWith([Match.objectLike({ ScheduledActionName: 'Day' })]) });
    expect(fn.scalableTarget).toBeDefined();
    expect(fn.provisionedConcurrency?.peakCapacity).toBe(5);
  });

  test('reserved concurrency passes through and bounds provisioned concurrency', () => {
    const stack = newStack();
    echoFunction(stack, { reservedConcurrentExecutions: 10, provisionedConcurrency: ProvisionedConcurrency.fixed(10) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 10 });
  });
});

describe('alarm options', () => {
  test('alarms can be switched off entirely: no alarms, no topic', () => {
    const stack = newStack();
    const fn = echoFunction(stack, { alarms: { enabled: false } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(fn.alarmTopic).toBeUndefined();
  });

  test('single alarms can be switched off and thresholds overridden', () => {
    const stack = newStack();
    const fn = echoFunction(stack, {
      timeout: Duration.seconds(30),
      alarms: {
        profile: AlarmProfile.FULL,
        minInvocations: 50,
        disable: [FunctionAlarm.THROTTLES, FunctionAlarm.ASYNC_DELIVERY_FAILURES],
        maxErrorRatePercent: 5,
        maxDurationP99PercentOfTimeout: 50,
        period: Duration.minutes(5),
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
    });
    const template = Template.fromStack(stack);
    expect(fn.alarms).toHaveLength(3);
    expect(fn.alarm(FunctionAlarm.THROTTLES)).toBeUndefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 15000, EvaluationPeriods: 3, DatapointsToAlarm: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(FILL(invocations, 0) >= 50, duration, 0)' }),
        Match.objectLike({ Id: 'duration', MetricStat: Match.objectLike({ Period: 300 }) }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5, Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(FILL(invocations, 0) >= 50, 100 * FILL(errors, 0) / invocations, 0)' })]),
    });
  });

  test('ESSENTIAL: disabling a signal leaves it out of the Health alarm', () => {
    const stack = newStack();
    echoFunction(stack, { alarms: { disable: [FunctionAlarm.THROTTLES, FunctionAlarm.DURATION_P99] } });
    const [alarm] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    const returned = (alarm.Properties.Metrics as any[]).find((m) => m.ReturnData !== false);
    expect(returned.Expression).toBe('IF(FILL(errorRate, 0) > 1 OR FILL(deadLetters, 0) > 0 OR FILL(deliveryFailures, 0) > 0, 1, 0)');
  });

  test('a user topic is notified by each alarm; addAlarmAction reaches every alarm, including adopted ones', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'OnCall');
    const fn = echoFunction(stack, { alarmTopic: topic });
    const extra = new sns.Topic(stack, 'Extra');
    fn.addAlarmAction({ bind: () => ({ alarmActionArn: extra.topicArn }) });
    const adopted = new cloudwatch.Alarm(stack, 'Adopted', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
    fn.addAlarm(adopted);
    const template = Template.fromStack(stack);
    // OnCall, Extra, and the stack's topic the service-health alarm notifies.
    template.resourceCountIs('AWS::SNS::Topic', 3);
    expect(fn.alarms).toHaveLength(2);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }, { Ref: expect.stringMatching(/^Extra/) }]);
    }
  });
});

describe('integration points', () => {
  test('grantInvoke allows the alias only, never $LATEST or the unqualified function', () => {
    const stack = newStack();
    const fn = echoFunction(stack);
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    fn.grantInvoke(caller);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Caller') }],
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('FnLiveAlias') } }] },
    });
  });

  test('metric helpers use the alias dimension', () => {
    const stack = newStack();
    const fn = echoFunction(stack);
    for (const metric of [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles(), fn.metricDuration(), fn.metricProvisionedConcurrencyUtilization(), fn.metricProvisionedConcurrencySpilloverInvocations()]) {
      expect(stack.resolve(metric.dimensions?.Resource)).toEqual({ 'Fn::Join': ['', [{ Ref: expect.stringMatching(/^FnFunction/) }, ':live']] });
    }
    expect(fn.metricProvisionedConcurrencySpilloverInvocations().metricName).toBe('ProvisionedConcurrencySpilloverInvocations');
  });

  test('NodejsFunction props pass through: user role, own queue, own destination, no source maps, log retention', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Own', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const queue = new sqs.Queue(stack, 'OwnQueue', { enforceSSL: true });
    const fn = echoFunction(stack, {
      role,
      deadLetterQueue: queue,
      onFailure: new destinations.SqsDestination(queue),
      retryAttempts: 1,
      maxEventAge: Duration.hours(1),
      bundling: { sourceMap: false },
      logRetention: logs.RetentionDays.ONE_WEEK,
      environment: { STAGE: 'prod' },
      memorySize: 1024,
    });
    const template = Template.fromStack(stack);
    expect(fn.deadLetterQueue).toBe(queue);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('Own'), 'Arn'] },
      MemorySize: 1024,
      Environment: { Variables: { STAGE: 'prod', NODE_OPTIONS: Match.absent() } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { Qualifier: ALIAS_QUALIFIER, MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(fn.alarm(FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH)).toBeUndefined();
  });

  test('deadLetterQueueEnabled: false creates no queue and no queue alarm', () => {
    const stack = newStack();
    const fn = echoFunction(stack, { deadLetterQueueEnabled: false, alarms: { profile: AlarmProfile.FULL } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    expect(fn.deadLetterQueue).toBeUndefined();
    expect(fn.alarms).toHaveLength(4);
  });

  test('a fully configured function also has zero unacknowledged cdk-nag findings', () => {
    const stack: Stack = newStack();
    echoFunction(stack, {
      reservedConcurrentExecutions: 50,
      provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 2, maxCapacity: 20, schedules: [{ name: 'Day', schedule: businessHours, minCapacity: 5 }] }),
    });
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('bundling', () => {
  test('in-process bundle is the same asset NodejsFunction builds for the same options', () => {
    const stack = newStack();
    echoFunction(stack, {}, 'Ours');
    new nodejs.NodejsFunction(stack, 'Plain', {
      entry: ECHO_HANDLER,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      bundling: { minify: true, sourceMap: true },
    });
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const keyOf = (prefix: string) => Object.entries<any>(functions).find(([id]) => id.startsWith(prefix))![1].Properties.Code.S3Key;
    expect(keyOf('OursFunction')).toEqual(keyOf('Plain'));
  });

  test('an option only NodejsFunction can honour (command hooks) falls back to its bundling and still synthesizes', () => {
    const stack = newStack();
    const hooks = { beforeBundling: () => [], beforeInstall: () => [], afterBundling: (_in: string, out: string) => [`echo hooked > ${out}/hooked.txt`] };
    echoFunction(stack, { bundling: { commandHooks: hooks } });
    const assembly = (stack.node.root as App).synth();
    const assetDir = fs.readdirSync(assembly.directory).find((f) => f.startsWith('asset.') && fs.existsSync(path.join(assembly.directory, f, 'hooked.txt')));
    expect(assetDir).toBeDefined();
  });
});
