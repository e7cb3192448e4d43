import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ResilientFunction } from '../../lib';
import { echoFunction, newStack } from '../support/stacks';

/*
 * ResilientFunction is a lambda.IFunction backed by its `live` alias: each aws-cdk-lib API that takes a
 * function must wire the alias (Ref of an AWS::Lambda::Alias is its ARN) and never the unqualified
 * function, whose Fn::GetAtt Arn would invoke $LATEST and bypass provisioned concurrency.
 */

function world(): { stack: Stack; fn: ResilientFunction; aliasRef: object; latestArn: object } {
  const stack = newStack();
  const fn = echoFunction(stack);
  return {
    stack,
    fn,
    aliasRef: { Ref: stack.resolve((fn.alias.node.defaultChild as lambda.CfnAlias).logicalId) },
    latestArn: { 'Fn::GetAtt': [stack.resolve((fn.function.node.defaultChild as lambda.CfnFunction).logicalId), 'Arn'] },
  };
}

/** The resources of a type, as JSON text. */
function resourcesOf(stack: Stack, type: string): string {
  const found = Template.fromStack(stack).findResources(type);
  expect(Object.keys(found).length).toBeGreaterThan(0);
  return JSON.stringify(found);
}

/** Asserts the resources of a type reference the alias and never $LATEST. */
function expectAliasOnly(stack: Stack, type: string, aliasRef: object, latestArn: object): void {
  const text = resourcesOf(stack, type);
  expect(text).toContain(JSON.stringify(aliasRef));
  expect(text).not.toContain(JSON.stringify(latestArn));
}

test('it is typed as a lambda.IFunction, and functionArn/functionName are the alias', () => {
  const { stack, fn } = world();
  const asFunction: lambda.IFunction = fn;
  expect(stack.resolve(asFunction.functionArn)).toEqual(stack.resolve(fn.alias.functionArn));
  expect(stack.resolve(asFunction.functionName)).toEqual(stack.resolve(fn.alias.functionName));
  expect(asFunction.resourceArnsForGrantInvoke).toEqual(fn.alias.resourceArnsForGrantInvoke);
  expect(asFunction.role).toBe(fn.function.role);
  expect(asFunction.architecture).toBe(lambda.Architecture.ARM_64);
  expect(asFunction.isBoundToVpc).toBe(false);
});

test('REST API LambdaIntegration invokes the alias and grants API Gateway on the alias', () => {
  const { stack, fn, aliasRef, latestArn } = world();
  new apigw.LambdaRestApi(stack, 'Rest', { handler: fn });
  expectAliasOnly(stack, 'AWS::ApiGateway::Method', aliasRef, latestArn);
  expectAliasOnly(stack, 'AWS::Lambda::Permission', aliasRef, latestArn);
});

test('HTTP API Lambda integration invokes the alias', () => {
  const { stack, fn, aliasRef, latestArn } = world();
  new apigwv2.HttpApi(stack, 'Http', { defaultIntegration: new apigwv2integrations.HttpLambdaIntegration('Int', fn) });
  expectAliasOnly(stack, 'AWS::ApiGatewayV2::Integration', aliasRef, latestArn);
  expectAliasOnly(stack, 'AWS::Lambda::Permission', aliasRef, latestArn);
});

test.each([
  ['SQS', (stack: Stack) => new sources.SqsEventSource(new sqs.Queue(stack, 'Q', { enforceSSL: true }))],
  ['DynamoDB Streams', (stack: Stack) => new sources.DynamoEventSource(new dynamodb.TableV2(stack, 'T', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
  }), { startingPosition: lambda.StartingPosition.LATEST })],
  ['Kinesis', (stack: Stack) => new sources.KinesisEventSource(new kinesis.Stream(stack, 'S'), { startingPosition: lambda.StartingPosition.LATEST })],
])('addEventSource(%s) puts the event source mapping on the alias', (_name, source) => {
  const { stack, fn, aliasRef, latestArn } = world();
  fn.addEventSource(source(stack));
  expectAliasOnly(stack, 'AWS::Lambda::EventSourceMapping', aliasRef, latestArn);
  // The consumer permissions go to the execution role (its inline policy), as with a plain function.
  const role = Template.fromStack(stack).toJSON().Resources[stack.resolve((fn.role!.node.defaultChild as iam.CfnRole).logicalId)];
  expect(JSON.stringify(role.Properties.Policies)).toMatch(/"(sqs:ReceiveMessage|dynamodb:GetRecords|kinesis:GetRecords)"/);
});

test('EventBridge rule target invokes the alias', () => {
  const { stack, fn, aliasRef, latestArn } = world();
  new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(fn)] });
  expectAliasOnly(stack, 'AWS::Events::Rule', aliasRef, latestArn);
  expectAliasOnly(stack, 'AWS::Lambda::Permission', aliasRef, latestArn);
});

test('EventBridge Scheduler target invokes the alias, and its role may invoke only the alias', () => {
  const { stack, fn, aliasRef, latestArn } = world();
  new scheduler.Schedule(stack, 'Schedule', { schedule: scheduler.ScheduleExpression.rate(Duration.minutes(5)), target: new schedulerTargets.LambdaInvoke(fn) });
  expectAliasOnly(stack, 'AWS::Scheduler::Schedule', aliasRef, latestArn);
  expectAliasOnly(stack, 'AWS::IAM::Policy', aliasRef, latestArn);
});

test('S3 notifications invoke the alias', () => {
  const { stack, fn, aliasRef, latestArn } = world();
  new s3.Bucket(stack, 'Bucket').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn));
  expectAliasOnly(stack, 'Custom::S3BucketNotifications', aliasRef, latestArn);
  expectAliasOnly(stack, 'AWS::Lambda::Permission', aliasRef, latestArn);
});

test('Step Functions LambdaInvoke invokes the alias, and the state machine may invoke only the alias', () => {
  const { stack, fn, aliasRef, latestArn } = world();
  new sfn.StateMachine(stack, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn })),
  });
  expectAliasOnly(stack, 'AWS::StepFunctions::StateMachine', aliasRef, latestArn);
  expectAliasOnly(stack, 'AWS::IAM::Policy', aliasRef, latestArn);
});

test('addFunctionUrl serves the alias (qualifier live)', () => {
  const { stack, fn } = world();
  fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  fn.grantInvokeUrl(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Lambda::Url', { Qualifier: 'live', AuthType: 'AWS_IAM' });
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunctionUrl', Resource: stack.resolve(fn.alias.functionArn) })]) },
  });
});

test('grantInvoke and addPermission act on the alias; grantInvokeLatestVersion is the explicit way to $LATEST', () => {
  const { stack, fn, aliasRef, latestArn } = world();
  fn.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
  fn.addPermission('FromPartner', { principal: new iam.AccountPrincipal('111122223333') });
  expectAliasOnly(stack, 'AWS::IAM::Policy', aliasRef, latestArn);
  expectAliasOnly(stack, 'AWS::Lambda::Permission', aliasRef, latestArn);

  const other = world();
  other.fn.grantInvokeLatestVersion(new iam.Role(other.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
  expect(resourcesOf(other.stack, 'AWS::IAM::Policy')).toContain(JSON.stringify(other.latestArn));
});

test('metric() and the metric helpers measure the alias (Resource dimension <function>:live)', () => {
  const { stack, fn } = world();
  const resource = { 'Fn::Join': ['', [{ Ref: stack.resolve((fn.function.node.defaultChild as lambda.CfnFunction).logicalId) }, ':live']] };
  for (const metric of [fn.metric('Errors'), fn.metricErrors(), fn.metricInvocations(), fn.metricThrottles(), fn.metricDuration()]) {
    expect(stack.resolve(metric.dimensions)).toEqual(expect.objectContaining({ Resource: resource }));
  }
});

test('configureAsyncInvoke says to use the props, which the alias already carries', () => {
  const { fn } = world();
  expect(() => fn.configureAsyncInvoke({ retryAttempts: 0 })).toThrow(/Test\/Fn: configureAsyncInvoke\(\).*pass onFailure, onSuccess, maxEventAge or retryAttempts as props/);
});

test('a function outside a VPC has no connections, as with a plain function', () => {
  const { fn } = world();
  expect(() => fn.connections).toThrow(/VPC/);
});
