import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ResilientFunction, ResilientHttpApi, ResilientRestApi, RouteAuth } from '../../lib';
import { testTemplatesAreClean } from '../support/template-checks';

// Real templates with every option on, checked by the built-in validator and cfn-lint: the unit tests
// assert properties, this catches shapes CloudFormation would reject (MethodSettings, RouteSettings...).
process.env.CDK_VALIDATION = 'true';

describe('every API option synthesizes to templates CloudFormation accepts', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-lint-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Apis');
  const fn = new ResilientFunction(stack, 'Fn', { entry: path.join(__dirname, '..', 'fixtures', 'handlers', 'echo.ts') });
  const pool = new cognito.UserPool(stack, 'Pool');
  const client = pool.addClient('Web');
  const lambdaAuth = RouteAuth.lambdaAuthorizer({ handler: fn });

  const rest = new ResilientRestApi(stack, 'Rest', {
    cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true },
    webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc',
    alarms: { maxClientErrorRatePercent: 25 },
    detailedMetrics: true,
  });
  rest.addRoute('GET', '/', fn, { auth: RouteAuth.none(), throttle: { rateLimit: 10, burstLimit: 20 } });
  rest.addRoute('GET', '/orders/{id}', fn, { auth: RouteAuth.cognito({ userPools: [pool], scopes: ['orders/read'] }), requestParameters: { 'method.request.path.id': true } });
  rest.addRoute('POST', '/orders', fn, { auth: lambdaAuth, apiKeyRequired: true, requestBodySchema: { type: apigw.JsonSchemaType.OBJECT, required: ['sku'] } });
  rest.addRoute('ANY', '/admin/{proxy+}', fn, { auth: RouteAuth.iam(), throttle: { rateLimit: 1, burstLimit: 1 } });
  rest.addUsagePlan('Plan', { quota: { limit: 1000, period: apigw.Period.DAY } }).addApiKey(rest.restApi.addApiKey('Key'));

  const http = new ResilientHttpApi(stack, 'Http', { cors: { allowOrigins: ['*'], maxAge: Duration.minutes(5) }, alarms: { maxClientErrorRatePercent: 25 } });
  http.addRoute('GET', '/', fn, { auth: RouteAuth.none(), throttle: { rateLimit: 10, burstLimit: 20 } });
  http.addRoute('GET', '/orders/{id}', fn, { auth: RouteAuth.cognito({ userPools: [pool], userPoolClients: [client] }) });
  http.addRoute('POST', '/orders', fn, { auth: RouteAuth.jwt({ issuer: 'https://issuer.example.com/', audience: ['api'] }) });
  http.addRoute('DELETE', '/orders/{id}', fn, { auth: RouteAuth.lambdaAuthorizer({ handler: fn, simpleResponses: true }) });
  http.addRoute('ANY', '/{proxy+}', fn, { auth: RouteAuth.iam(), throttle: { rateLimit: 1, burstLimit: 1 } });

  const assembly = app.synth();
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  testTemplatesAreClean(outdir, assembly.stacks.map((s) => path.join(outdir, s.templateFile)));

});
