/*
 * AWS_IAM routes (REST AuthorizationType.IAM, HTTP HttpIamAuthorizer) accept requests SigV4-signed (here by the
 * AWS SDK's own signer) with the runner's dummy credentials; REST API keys and usage plans.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { call } from '../support/http-client';
import { LOCAL_CREDENTIALS, sigv4Headers } from '../support/sigv4';
import { inlineNodeFunction } from '../support/probe-app';
import { AuthProbe, DECIDER, ECHO, startAuthProbe } from './support/auth-probe';

const KEY = 'test-key-0123456789-abcdefghij';
let app: AuthProbe;
let rest: string;
let http: string;
let functionUrl: string;

beforeAll(async () => {
  app = await startAuthProbe((stack) => {
    const echo = inlineNodeFunction(stack, 'Echo', ECHO);
    const api = new apigw.RestApi(stack, 'Rest', { cloudWatchRole: false, deployOptions: { stageName: 'prod' } });
    const integration = new apigw.LambdaIntegration(echo);
    api.root.addResource('secure').addMethod('POST', integration, { authorizationType: apigw.AuthorizationType.IAM });
    api.root.addResource('keyed').addMethod('GET', integration, { apiKeyRequired: true });
    const quota = api.addUsagePlan('Quota', { quota: { limit: 3, period: apigw.Period.DAY }, apiStages: [{ api, stage: api.deploymentStage }] });
    quota.addApiKey(api.addApiKey('Fixed', { value: KEY }));
    quota.addApiKey(new apigw.ApiKey(stack, 'Disabled', { enabled: false }));
    const throttled = api.addUsagePlan('Throttled', { throttle: { rateLimit: 1, burstLimit: 1 }, apiStages: [{ api, stage: api.deploymentStage }] });
    throttled.addApiKey(new apigw.ApiKey(stack, 'Generated'));

    // API keys from a Lambda authorizer's usageIdentifierKey (ApiKeySourceType AUTHORIZER).
    const keyed = new apigw.RestApi(stack, 'KeyFromAuthorizer', { cloudWatchRole: false, apiKeySourceType: apigw.ApiKeySourceType.AUTHORIZER, deployOptions: { stageName: 'prod' } });
    const authorizer = new apigw.TokenAuthorizer(stack, 'KeyAuth', { handler: inlineNodeFunction(stack, 'Decider', DECIDER) });
    keyed.root.addResource('keyed').addMethod('GET', new apigw.LambdaIntegration(echo), { apiKeyRequired: true, authorizer });
    keyed.addUsagePlan('Plan', { apiStages: [{ api: keyed, stage: keyed.deploymentStage }] }).addApiKey(keyed.addApiKey('FromAuthorizer', { value: 'authorizer-key-0123456789' }));

    const httpApi = new apigwv2.HttpApi(stack, 'Http');
    httpApi.addRoutes({ path: '/secure', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Secure', echo), authorizer: new HttpIamAuthorizer() });
    new lambda.FunctionUrl(stack, 'Url', { function: echo, authType: lambda.FunctionUrlAuthType.AWS_IAM });
  });
  rest = app.harness.api('Rest', 'prod');
  http = app.harness.api('Http');
  functionUrl = app.harness.api('Url');
});
afterAll(() => app?.close());

async function signed(url: string, method: string, body: string, credentials = LOCAL_CREDENTIALS, service = 'execute-api') {
  const headers = await sigv4Headers(url, { method, body, service, credentials, headers: { 'content-type': 'application/json' }, signingDate: new Date(app.harness.clock.now()) });
  return call(url, { method, headers, body });
}

describe('AWS_IAM', () => {
  test('REST: a request signed with the dummy credentials passes and fills requestContext.identity', async () => {
    const reply = await signed(`${rest}/secure?b=2&a=1`, 'POST', '{"x":1}');
    expect(reply.status).toBe(200);
    expect(reply.json().requestContext.identity).toMatchObject({ accessKey: 'local', accountId: '123456789012', caller: expect.stringMatching(/^AIDA/), userArn: 'arn:aws:iam::123456789012:user/local' });
  });

  test('REST: unsigned is 403 Missing Authentication Token; a wrong secret, an unknown key or another service are 403', async () => {
    const unsigned = await call(`${rest}/secure`, { method: 'POST' });
    expect([unsigned.status, unsigned.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
    const wrongSecret = await signed(`${rest}/secure`, 'POST', '{}', { accessKeyId: 'local', secretAccessKey: 'nope' });
    expect([wrongSecret.status, wrongSecret.json().message]).toEqual([403, expect.stringMatching(/^The request signature we calculated does not match/)]);
    const unknown = await signed(`${rest}/secure`, 'POST', '{}', { accessKeyId: 'AKIAOTHER', secretAccessKey: 'local' });
    expect([unknown.status, unknown.json()]).toEqual([403, { message: 'The security token included in the request is invalid.' }]);
    expect((await signed(`${rest}/secure`, 'POST', '{}', undefined, 'lambda')).status).toBe(403);
  });

  test('REST: a signed body changed on the way, or a signature older than 5 minutes, is refused', async () => {
    const u = new URL(`${rest}/secure`);
    const headers = await sigv4Headers(u.href, { method: 'POST', body: 'a', signingDate: new Date(app.harness.clock.now()) });
    expect((await call(u.href, { method: 'POST', headers, body: 'b' })).status).toBe(403);
    expect((await call(u.href, { method: 'POST', headers, body: 'a' })).status).toBe(200);
    await app.harness.advance(6 * 60_000);
    const stale = await call(u.href, { method: 'POST', headers, body: 'a' });
    expect([stale.status, stale.json().message]).toEqual([403, expect.stringMatching(/^Signature expired/)]);
  });

  test('HTTP: signed passes with requestContext.authorizer.iam; unsigned is 403 Forbidden', async () => {
    const reply = await signed(`${http}/secure`, 'GET', '');
    expect(reply.status).toBe(200);
    expect(reply.json().requestContext.authorizer.iam).toEqual({
      accessKey: 'local', accountId: '123456789012', callerId: expect.stringMatching(/^AIDA/), cognitoIdentity: null, principalOrgId: null,
      userArn: 'arn:aws:iam::123456789012:user/local', userId: expect.stringMatching(/^AIDA/),
    });
    const unsigned = await call(`${http}/secure`);
    expect([unsigned.status, unsigned.json()]).toEqual([403, { message: 'Forbidden' }]);
  });

  test('function URL with AuthType AWS_IAM: signed for the lambda service passes; unsigned or signed for execute-api is 403', async () => {
    const reply = await signed(`${functionUrl}/x`, 'GET', '', undefined, 'lambda');
    expect([reply.status, reply.json().requestContext.authorizer.iam.accessKey]).toEqual([200, 'local']);
    const unsigned = await call(`${functionUrl}/x`);
    expect([unsigned.status, unsigned.json()]).toEqual([403, { Message: 'Forbidden' }]);
    expect((await signed(`${functionUrl}/x`, 'GET', '')).status).toBe(403);
  });
});

describe('API keys and usage plans', () => {
  test('no key, an unknown key or a disabled one is 403 Forbidden', async () => {
    const cases: Array<Record<string, string>> = [{}, { 'x-api-key': 'made-up' }, { 'x-api-key': generatedKey('Disabled') }];
    for (const headers of cases) {
      const reply = await call(`${rest}/keyed`, { headers });
      expect([reply.status, reply.json(), reply.headers['x-amzn-errortype']]).toEqual([403, { message: 'Forbidden' }, 'ForbiddenException']);
    }
  });

  test("a valid key passes and shows in requestContext.identity; over the plan's quota it is 429 until the next day", async () => {
    const first = await call(`${rest}/keyed`, { headers: { 'x-api-key': KEY } });
    expect(first.status).toBe(200);
    expect(first.json().requestContext.identity).toMatchObject({ apiKey: KEY, apiKeyId: expect.any(String) });
    for (let i = 0; i < 2; i++) expect((await call(`${rest}/keyed`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
    const over = await call(`${rest}/keyed`, { headers: { 'x-api-key': KEY } });
    expect([over.status, over.json()]).toEqual([429, { message: 'Limit Exceeded' }]);
    await app.harness.advance(24 * 3600_000);
    expect((await call(`${rest}/keyed`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
  });

  test("a plan's throttle applies per key: 429 Too Many Requests past the burst", async () => {
    const key = generatedKey('Generated');
    expect((await call(`${rest}/keyed`, { headers: { 'x-api-key': key } })).status).toBe(200);
    const throttled = await call(`${rest}/keyed`, { headers: { 'x-api-key': key } });
    expect([throttled.status, throttled.json()]).toEqual([429, { message: 'Too Many Requests' }]);
  });

  test('ApiKeySourceType AUTHORIZER: the key is the authorizer\'s usageIdentifierKey, not the x-api-key header', async () => {
    const base = app.harness.api('KeyFromAuthorizer', 'prod');
    const reply = await call(`${base}/keyed`, { headers: { Authorization: 'key-authorizer-key-0123456789' } });
    expect([reply.status, reply.json().requestContext.identity.apiKey]).toEqual([200, 'authorizer-key-0123456789']);
    expect((await call(`${base}/keyed`, { headers: { Authorization: 'allow', 'x-api-key': 'authorizer-key-0123456789' } })).status).toBe(403);
  });

  test('keys without a value get a generated one, printed at start with the dummy credentials for IAM routes', () => {
    const report = app.harness.runner.auth.report().join('\n');
    expect(report).toMatch(new RegExp(`API key Rest/Fixed \\(Rest\\): ${KEY}\\n`));
    expect(report).toMatch(/API key Generated \(Rest\): [A-Za-z0-9]{40} \(generated: the template sets no value\)/);
    expect(report).toMatch(/AWS_IAM routes: SigV4 signatures are checked against access key "local", secret "local"/);
  });
});

/** The value the report printed for a key. */
function generatedKey(name: string): string {
  const line = app.harness.runner.auth.report().find((l) => l.startsWith(`API key ${name} `));
  return /: (\S+)/.exec(line ?? '')![1];
}

test("the start-up report's suggestions carry what the routes need: a SigV4 curl, the API key", () => {
  const urls = app.harness.runner.urlsToTry();
  expect(urls).toContain(`curl --aws-sigv4 "aws:amz:us-east-1:execute-api" --user local:local ${http}/secure`);
  expect(urls).toContain(`curl -H "x-api-key: ${KEY}" ${rest}/keyed`);
});
