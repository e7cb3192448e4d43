import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AlarmProfile, ApiAlarm, ResilientFunction, ResilientHttpApi, RouteAuth } from '../../lib';
import { nagFindings } from '../support/nag';
import { echoFunction, newStack } from '../support/stacks';

const aliasRef = (stack: Stack, fn: ResilientFunction) => ({ Ref: stack.resolve((fn.alias.node.defaultChild as CfnResource).logicalId) });

describe('ResilientHttpApi defaults', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const api = new ResilientHttpApi(stack, 'Api');
  api.addRoute('GET', '/hello', fn, { auth: RouteAuth.none() });
  api.addRoute('POST', '/items/{id}', fn, { auth: RouteAuth.iam() });
  const template = Template.fromStack(stack);

  test('escape hatches; $default stage with auto-deploy, throttling and JSON access logs', () => {
    expect(api.httpApi).toBeInstanceOf(apigwv2.HttpApi);
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const stage = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000, DetailedMetricsEnabled: false },
    });
    expect(stage.Properties.RouteSettings).toBeUndefined();
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', integrationError: '$context.integrationErrorMessage' });
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'] });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('routes: payload 2.0 integration on the live alias, one integration per function', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: aliasRef(stack, fn) });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /hello', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /items/{id}', AuthorizationType: 'AWS_IAM' });
  });

  test('IAM: API Gateway may invoke the alias only, per route path', () => {
    const permissions = Object.values<any>(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }));
    expect(permissions).toHaveLength(2);
    for (const permission of permissions) {
      expect(permission.Properties.FunctionName).toEqual(aliasRef(stack, fn));
    }
    expect(permissions.map((p) => JSON.stringify(p.Properties.SourceArn)).some((arn) => arn.includes('*/*/items/{id}'))).toBe(true);
  });

  test('alarms (ESSENTIAL): one Health alarm over 5XX rate (5xx / Count) and p99 latency on ApiId + Stage, joined to the service health', () => {
    expect(api.alarms.map((a) => a.node.id)).toEqual([ApiAlarm.HEALTH]);
    const alarms = JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toContain('"MetricName":"5xx"');
    expect(alarms).toContain('"MetricName":"Count"');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      AlarmActions: Match.absent(),
      Metrics: Match.arrayWith([Match.objectLike({
        Id: 'latency',
        MetricStat: Match.objectLike({
          Stat: 'p99',
          Metric: Match.objectLike({ MetricName: 'Latency', Dimensions: Match.arrayWith([{ Name: 'ApiId', Value: { Ref: Match.stringLikeRegexp('ApiHttpApi') } }]) }),
        }),
      })]),
    });
  });

  test('alarms (FULL): 5XX rate and p99 latency, each its own alarm', () => {
    const full = new ResilientHttpApi(stack, 'Full', { alarms: { profile: AlarmProfile.FULL } });
    expect(full.alarms.map((a) => a.node.id).sort()).toEqual([ApiAlarm.LATENCY_P99, ApiAlarm.SERVER_ERROR_RATE].sort());
  });

  test('cdk-nag: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('ResilientHttpApi options', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const authorizerFn = echoFunction(stack, {}, 'Authorizer');
  const pool = new cognito.UserPool(stack, 'Pool');
  const client = pool.addClient('Web');
  const api = new ResilientHttpApi(stack, 'Api', {
    throttle: { rateLimit: 20, burstLimit: 40 },
    cors: { allowOrigins: ['https://app.example.com'], maxAge: Duration.minutes(10) },
    detailedMetrics: true,
    defaultAuth: RouteAuth.jwt({ issuer: 'https://issuer.example.com/', audience: ['api://orders'], scopes: ['orders:read'] }),
    alarms: { enabled: false },
    apiName: 'orders',
    description: 'Orders API',
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  api.addRoute('GET', '/orders', fn);
  api.addRoute('GET', '/orders/{id}', fn, { auth: RouteAuth.cognito({ userPools: [pool], userPoolClients: [client] }), throttle: { rateLimit: 2, burstLimit: 4 } });
  api.addRoute('DELETE', '/orders/{id}', fn, { auth: RouteAuth.lambdaAuthorizer({ handler: authorizerFn, simpleResponses: true, resultsCacheTtl: Duration.seconds(0) }) });
  api.addRoute('ANY', '/{proxy+}', fn, { auth: RouteAuth.iam() });
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantInvoke(caller);
  const template = Template.fromStack(stack);

  test('JWT authorizer from defaultAuth, with scopes', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Issuer: 'https://issuer.example.com/', Audience: ['api://orders'] } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /orders', AuthorizationType: 'JWT', AuthorizationScopes: ['orders:read'] });
  });

  test('Cognito becomes a JWT authorizer whose audience is the app client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: Match.stringLikeRegexp('PoolWeb') }], Issuer: Match.anyValue() },
    });
  });

  test('Lambda authorizer with simple responses invokes the authorizer alias', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST', EnableSimpleResponses: true, AuthorizerResultTtlInSeconds: 0,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerUri: { 'Fn::Join': ['', Match.arrayWith([aliasRef(stack, authorizerFn)])] },
    });
    const permissions = Object.values<any>(template.findResources('AWS::Lambda::Permission'));
    for (const permission of permissions) {
      expect([aliasRef(stack, fn), aliasRef(stack, authorizerFn)]).toContainEqual(permission.Properties.FunctionName);
    }
    expect(permissions.filter((p) => p.Properties.FunctionName.Ref === aliasRef(stack, authorizerFn).Ref)).toHaveLength(1);
  });

  test('stage limits, a per-route override keyed by route key (the stage waits for the route), detailed metrics', () => {
    const stage = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, DetailedMetricsEnabled: true });
    expect(stage.Properties.RouteSettings).toEqual({ 'GET /orders/{id}': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 } });
    expect(stage.DependsOn).toContainEqual(expect.stringMatching(/^ApiHttpApiGETordersid/));
  });

  test('name, description, access log retention', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'orders', Description: 'Orders API', ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(api.accessLogGroup).toBeDefined();
  });

  test('CORS preflight configuration', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowCredentials: false, MaxAge: 600, AllowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] },
    });
  });

  test('alarms off: no alarms, no topic', () => {
    expect(api.alarms).toEqual([]);
    expect(api.alarmTopic).toBeUndefined();
    // Every alarm left is one of the functions' own (their descriptions name the alias).
    const descriptions = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => JSON.stringify(a.Properties.AlarmDescription));
    expect(descriptions.length).toBeGreaterThan(0);
    expect(descriptions.filter((d) => !d.includes('LiveAlias'))).toEqual([]);
  });

  test('grantInvoke: execute-api:Invoke on this API', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke', Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('ApiHttpApi') }])] } })] },
    });
  });

  test('cdk-nag: no findings from the API', () => {
    expect(nagFindings(stack).filter((f) => !/ at Test\/(Pool|Caller)\//.test(f))).toEqual([]);
  });
});

describe('ResilientHttpApi warnings', () => {
  const stack = newStack();
  const api = new ResilientHttpApi(stack, 'Slow');
  api.addRoute('GET', '/report', echoFunction(stack, { timeout: Duration.seconds(45) }), { auth: RouteAuth.none() });

  test('a function slower than the 30 s integration timeout is flagged', () => {
    Annotations.fromStack(stack).hasWarning('/Test/Slow', Match.stringLikeRegexp('may run 45 s but API Gateway answers 503 after 30 s'));
  });
});
