import { inlineFunction, writeAssembly } from '../local/support/handmade-assembly';

/**
 * A handmade assembly with one of each thing the advisor reads: provisioned concurrency fixed on an alias,
 * scheduled and autoscaled through Application Auto Scaling, a Warmer-style rule, a schedule-only function,
 * an x86 function on an old runtime, a queue consumer, and a container image function.
 */
export function writeCostApp(): { directory: string; remove(): void } {
  const alias = (fn: string, pc?: number) => ({
    Type: 'AWS::Lambda::Alias',
    Properties: { FunctionName: { Ref: fn }, FunctionVersion: '1', Name: 'live', ...(pc ? { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: pc } } : {}) },
  });
  const target = (aliasId: string, min: number, max: number, actions: unknown[] = []) => ({
    Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
    Properties: {
      MinCapacity: min, MaxCapacity: max, ScalableDimension: 'lambda:function:ProvisionedConcurrency', ServiceNamespace: 'lambda',
      ResourceId: { 'Fn::Join': ['', ['function:', { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: aliasId }] }] }, ':live']] },
      ScheduledActions: actions,
    },
  });
  return writeAssembly({
    App: {
      Resources: {
        Fixed: inlineFunction('fixed', { MemorySize: 1024, Architectures: ['arm64'] }),
        FixedLive: alias('Fixed', 4),
        Scheduled: inlineFunction('scheduled', { MemorySize: 512, Architectures: ['arm64'] }),
        ScheduledLive: alias('Scheduled', 2),
        ScheduledTarget: target('ScheduledLive', 2, 2, [
          { ScheduledActionName: 'Day', Schedule: 'cron(0 8 ? * MON-FRI *)', ScalableTargetAction: { MinCapacity: 6, MaxCapacity: 6 } },
          { ScheduledActionName: 'Evening', Schedule: 'cron(0 18 ? * MON-FRI *)', ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 2 } },
        ]),
        Auto: inlineFunction('auto', { MemorySize: 512, Architectures: ['arm64'] }),
        AutoLive: alias('Auto', 1),
        AutoTarget: target('AutoLive', 1, 8),
        AutoPolicy: {
          Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
          Properties: { PolicyName: 'p', PolicyType: 'TargetTrackingScaling', ScalingTargetId: { Ref: 'AutoTarget' }, TargetTrackingScalingPolicyConfiguration: { TargetValue: 0.6 } },
        },
        Warmed: inlineFunction('warmed', { MemorySize: 512 }),
        WarmedLive: alias('Warmed'),
        WarmerFn: inlineFunction('warmer', { MemorySize: 256, Architectures: ['arm64'] }),
        WarmedRule: {
          Type: 'AWS::Events::Rule',
          Metadata: { 'aws:cdk:path': 'App/Warmed/Warming-Day/Resource' },
          Properties: {
            ScheduleExpression: 'cron(0/5 8-17 ? * MON-FRI *)',
            Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['WarmerFn', 'Arn'] }, Input: { 'Fn::Join': ['', ['{"targets":[{"functionArn":"', { Ref: 'WarmedLive' }, '","concurrency":7}]}']] } }],
          },
        },
        // Invoked by API Gateway too: not schedule-only.
        WarmedPermission: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['Warmed', 'Arn'] }, Principal: 'apigateway.amazonaws.com' } },
        Nightly: inlineFunction('nightly', { MemorySize: 512, Runtime: 'python3.9', Handler: 'index.handler' }),
        NightlySchedule: {
          Type: 'AWS::Scheduler::Schedule',
          Properties: { ScheduleExpression: 'cron(30 1 * * ? *)', ScheduleExpressionTimezone: 'UTC', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: { 'Fn::GetAtt': ['Nightly', 'Arn'] }, RoleArn: 'arn:aws:iam::123456789012:role/r' } },
        },
        Consumer: inlineFunction('consumer', { MemorySize: 512, Architectures: ['arm64'] }),
        ConsumerQueue: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Consumer' }, EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' } },
        Image: { Type: 'AWS::Lambda::Function', Properties: { PackageType: 'Image', Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:latest' }, MemorySize: 2048 } },
      },
    },
  });
}
