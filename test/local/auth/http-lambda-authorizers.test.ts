/*
 * HTTP API Lambda authorizers (apigatewayv2-authorizers.HttpLambdaAuthorizer): payload 2.0 with simple
 * responses or IAM policies, payload 1.0, identity sources, caching by identity for the TTL.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { call } from '../support/http-client';
import { inlineNodeFunction } from '../support/probe-app';
import { AuthProbe, DECIDER, ECHO, startAuthProbe } from './support/auth-probe';

let app: AuthProbe;
let base: string;

beforeAll(async () => {
  app = await startAuthProbe((stack) => {
    const echo = inlineNodeFunction(stack, 'Echo', ECHO);
    const simple = new HttpLambdaAuthorizer('Simple', inlineNodeFunction(stack, 'SimpleDecider', DECIDER), {
      responseTypes: [HttpLambdaResponseType.SIMPLE], resultsCacheTtl: Duration.seconds(30),
      identitySource: ['$request.header.Authorization', '$request.querystring.tenant'],
    });
    const policy = new HttpLambdaAuthorizer('Policy', inlineNodeFunction(stack, 'PolicyDecider', DECIDER), {
      responseTypes: [HttpLambdaResponseType.IAM], resultsCacheTtl: Duration.seconds(0),
    });
    const v1 = new HttpLambdaAuthorizer('V1', inlineNodeFunction(stack, 'V1Decider', DECIDER), {
      responseTypes: [HttpLambdaResponseType.IAM], resultsCacheTtl: Duration.seconds(0),
    });
    const api = new apigwv2.HttpApi(stack, 'Http');
    api.addRoutes({ path: '/simple/{id}', methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('S', echo), authorizer: simple });
    api.addRoutes({ path: '/policy', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('P', echo), authorizer: policy });
    api.addRoutes({ path: '/v1', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('V', echo, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0 }), authorizer: v1 });
    // Payload 2.0 with IAM-policy answers: aws-cdk-lib does not make this combination, CloudFormation does.
    const v2Policy = inlineNodeFunction(stack, 'V2PolicyDecider', DECIDER);
    const cfnAuthorizer = new apigwv2.CfnAuthorizer(stack, 'V2Policy', {
      apiId: api.apiId, authorizerType: 'REQUEST', name: 'v2-policy', authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: false,
      identitySource: ['$request.header.Authorization'], authorizerResultTtlInSeconds: 0,
      authorizerUri: `arn:aws:apigateway:${stack.region}:lambda:path/2015-03-31/functions/${v2Policy.functionArn}/invocations`,
    });
    const [route] = api.addRoutes({ path: '/v2-policy', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('V2P', echo) });
    Object.assign(route.node.defaultChild as apigwv2.CfnRoute, { authorizationType: 'CUSTOM', authorizerId: cfnAuthorizer.ref });
  });
  base = app.harness.api('Http');
});
afterAll(() => app?.close());

const invocations = (name: string) => app.harness.invocationsOf(name).length;

test('simple response: isAuthorized true passes the context as requestContext.authorizer.lambda (values as the function gave them)', async () => {
  const reply = await call(`${base}/simple/9?tenant=acme`, { method: 'POST', headers: { Authorization: 'simple-yes', 'content-type': 'application/json' }, body: '{"secret":1}' });
  expect(reply.status).toBe(200);
  const lambda = reply.json().requestContext.authorizer.lambda;
  expect(lambda).toMatchObject({ count: 7, flag: true });
  // The 2.0 REQUEST event: the route ARN, identity source values, the request without its body.
  const event = JSON.parse(lambda.event);
  expect(event).toMatchObject({
    version: '2.0', type: 'REQUEST', routeArn: expect.stringMatching(/^arn:aws:execute-api:us-east-1:123456789012:\w+\/\$default\/POST\/simple\/9$/),
    identitySource: ['simple-yes', 'acme'], routeKey: 'POST /simple/{id}', rawPath: '/simple/9', rawQueryString: 'tenant=acme',
    headers: expect.objectContaining({ authorization: 'simple-yes' }), pathParameters: { id: '9' }, cookies: [],
    requestContext: expect.objectContaining({ http: expect.objectContaining({ method: 'POST' }) }),
  });
  expect(event).not.toHaveProperty('body');
});

test('simple response: isAuthorized false is 403 Forbidden; a missing identity source is 401 without invoking', async () => {
  const denied = await call(`${base}/simple/9?tenant=acme`, { method: 'POST', headers: { Authorization: 'simple-no' } });
  expect([denied.status, denied.json()]).toEqual([403, { message: 'Forbidden' }]);
  const before = invocations('SimpleDecider');
  const missing = await call(`${base}/simple/9`, { method: 'POST', headers: { Authorization: 'simple-yes' } });
  expect([missing.status, missing.json()]).toEqual([401, { message: 'Unauthorized' }]);
  await app.harness.runner.settled();
  expect(invocations('SimpleDecider')).toBe(before);
});

test('the decision is cached by identity source values for the TTL, then asked again', async () => {
  await app.harness.advance(60_000);
  const before = invocations('SimpleDecider');
  for (let i = 0; i < 3; i++) expect((await call(`${base}/simple/1?tenant=t1`, { method: 'POST', headers: { Authorization: 'simple-yes' } })).status).toBe(200);
  // Another tenant is another identity.
  expect((await call(`${base}/simple/1?tenant=t2`, { method: 'POST', headers: { Authorization: 'simple-yes' } })).status).toBe(200);
  await app.harness.advance(31_000);
  expect((await call(`${base}/simple/1?tenant=t1`, { method: 'POST', headers: { Authorization: 'simple-yes' } })).status).toBe(200);
  await app.harness.runner.settled();
  expect(invocations('SimpleDecider')).toBe(before + 3);
});

test('IAM policy response: Allow passes authorizer.lambda, Deny is 403 Forbidden, an error is 500; TTL 0 asks every time', async () => {
  const before = invocations('PolicyDecider');
  const allowed = await call(`${base}/policy`, { headers: { Authorization: 'allow' } });
  expect(allowed.status).toBe(200);
  expect(allowed.json().requestContext.authorizer.lambda).toMatchObject({ count: 7 });
  expect((await call(`${base}/policy`, { headers: { Authorization: 'allow' } })).status).toBe(200);
  const denied = await call(`${base}/policy`, { headers: { Authorization: 'deny' } });
  expect([denied.status, denied.json()]).toEqual([403, { message: 'Forbidden' }]);
  const failed = await call(`${base}/policy`, { headers: { Authorization: 'unauthorized' } });
  expect([failed.status, failed.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  await app.harness.runner.settled();
  expect(invocations('PolicyDecider')).toBe(before + 4);
});

// aws-cdk-lib gives IAM-response authorizers payload format 1.0 (simple responses need 2.0).
test('payload 1.0 (IAM response type): the REST-compatible event with methodArn and identitySource', async () => {
  const reply = await call(`${base}/v1?x=1`, { headers: { Authorization: 'allow' } });
  expect(reply.status).toBe(200);
  const event = JSON.parse(reply.json().requestContext.authorizer.lambda.event);
  expect(event).toMatchObject({ version: '1.0', type: 'REQUEST', methodArn: expect.stringMatching(/\/\$default\/GET\/v1$/), identitySource: 'allow', httpMethod: 'GET', queryStringParameters: { x: '1' } });
});

test('payload 2.0 with IAM-policy answers: the v2 event, the policy evaluated on the route ARN', async () => {
  const allowed = await call(`${base}/v2-policy`, { headers: { Authorization: 'allow' } });
  expect(allowed.status).toBe(200);
  expect(JSON.parse(allowed.json().requestContext.authorizer.lambda.event)).toMatchObject({ version: '2.0', type: 'REQUEST', routeArn: expect.stringMatching(/\/GET\/v2-policy$/), identitySource: ['allow'] });
  expect((await call(`${base}/v2-policy`, { headers: { Authorization: 'other' } })).status).toBe(403);
  expect((await call(`${base}/v2-policy`, { headers: { Authorization: 'deny' } })).status).toBe(403);
});
