import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ExampleStack } from '../../bin/example-stack';
import { normalizeTemplate } from '../../lib/testing';
import { testTemplatesAreClean, validationFindings, validatorTest } from '../support/template-checks';
import { nagFindings } from '../support/nag';

// This file checks real templates, so the built-in CloudFormation validator stays on.
process.env.CDK_VALIDATION = 'true';

describe('example app', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-app-'));
  const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8')).context;
  const app = new App({ outdir, context });
  const stack = new ExampleStack(app, 'ResilientExample');
  const assembly = app.synth();
  const templates = assembly.stacks.map((s) => path.join(outdir, s.templateFile));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  testTemplatesAreClean(outdir, templates);

  validatorTest('control: the same validator set-up does report a broken template', () => {
    const controlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'validator-control-'));
    const control = new App({ outdir: controlDir });
    new CfnResource(new Stack(control, 'Broken'), 'Queue', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 'a week' } });
    control.synth();
    const findings = validationFindings(controlDir);
    fs.rmSync(controlDir, { recursive: true, force: true });
    expect(findings.join('\n')).toContain('F3012');
  });


  test('cdk-nag AwsSolutions + Serverless: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the hello function has autoscaled provisioned concurrency and the default (ESSENTIAL) Health alarm', () => {
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
    expect(stack.hello.alarms.map((a) => a.node.id)).toEqual(['Health']);
  });

  test('one service-health alarm watches every alarm of the app and alone notifies the alarm topic', () => {
    const template = Template.fromStack(stack);
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const [composite, ...others] = Object.values<any>(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(others).toEqual([]);
    const watched = JSON.stringify(composite.Properties.AlarmRule).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/g)!.map((m) => m.split('"')[3]);
    expect(watched.sort()).toEqual(Object.keys(alarms).sort());
    expect(Object.values<any>(alarms).filter((a) => a.Properties.AlarmActions)).toEqual([]);
    expect(composite.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ResilientAlarmTopic/) }]);
  });

  test('the quote function calls its downstream through the breaker table and is warmed on two schedules', () => {
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ RESILIENT_BREAKER_CIRCUITS: 'pricing', RESILIENT_BREAKER_TABLE: Match.anyValue() }) },
    });
    const warmingRules = Object.values<any>(template.findResources('AWS::Events::Rule')).filter((r) => JSON.stringify(r.Properties.Targets).includes('ResilientWarmer'));
    expect(warmingRules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(['cron(0/5 0-7,18-23 ? * * *)', 'cron(0/5 8-17 ? * MON-FRI *)']);
  });

  test('GET /hello reaches the hello alias through an HTTP API (payload 2.0) and a REST API (v1 proxy)', () => {
    const template = Template.fromStack(stack);
    const helloAlias = { Ref: stack.resolve((stack.hello.alias.node.defaultChild as CfnResource).logicalId) };
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /hello', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationUri: helloAlias, PayloadFormatVersion: '2.0' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({ Type: 'AWS_PROXY', Uri: { 'Fn::Join': ['', Match.arrayWith([helloAlias])] } }),
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    expect([...stack.restApi.alarms, ...stack.httpApi.alarms].map((a) => a.node.id)).toEqual(['Health', 'Health']);
  });

  test('order events reach the processor alias with retries, a dead-letter queue and an archive', () => {
    const template = Template.fromStack(stack);
    const processorAlias = { Ref: stack.resolve((stack.orderProcessor.alias.node.defaultChild as CfnResource).logicalId) };
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['example.orders'], 'detail-type': ['OrderPlaced'] },
      Targets: [Match.objectLike({ Arn: processorAlias, DeadLetterConfig: Match.anyValue(), RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } })],
    });
    template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 30 });
  });

  test('the nightly report runs on EventBridge Scheduler at 02:00 Paris time, invoking its alias', () => {
    const template = Template.fromStack(stack);
    const reportAlias = { Ref: stack.resolve((stack.nightlyReport.alias.node.defaultChild as CfnResource).logicalId) };
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: Match.objectLike({ Arn: reportAlias, DeadLetterConfig: Match.anyValue() }),
    });
  });

  test('API Gateway and EventBridge may invoke aliases only, never a function or $LATEST', () => {
    const template = Template.fromStack(stack);
    const permissions = Object.values<any>(template.findResources('AWS::Lambda::Permission'));
    const aliases = Object.keys(template.findResources('AWS::Lambda::Alias'));
    const fromEntryPoints = permissions.filter((p) => ['apigateway.amazonaws.com', 'events.amazonaws.com'].includes(p.Properties.Principal));
    // HTTP GET /hello, REST GET /hello, the order rule, plus the warmer's own schedules.
    expect(fromEntryPoints.length).toBeGreaterThanOrEqual(3);
    for (const permission of fromEntryPoints) {
      expect(aliases).toContain(permission.Properties.FunctionName.Ref);
    }
  });

  test('snapshot (backstop; normalised so handler edits do not churn it)', () => {
    expect(normalizeTemplate(Template.fromStack(stack).toJSON())).toMatchSnapshot();
  });
});
