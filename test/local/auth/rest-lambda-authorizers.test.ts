/*
 * REST API Lambda authorizers (apigateway.TokenAuthorizer, apigateway.RequestAuthorizer) run by the runner with
 * the events API Gateway sends, their policies evaluated on the method ARN, answers cached per identity for the
 * authorizer's TTL on the runner's clock.
 *   Input: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 *   Output: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 *   Gateway responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { call } from '../support/http-client';
import { inlineNodeFunction } from '../support/probe-app';
import { AuthProbe, DECIDER, ECHO, startAuthProbe } from './support/auth-probe';

let app: AuthProbe;
let base: string;

beforeAll(async () => {
  app = await startAuthProbe((stack) => {
    const echo = new apigw.LambdaIntegration(inlineNodeFunction(stack, 'Echo', ECHO));
    const decider = inlineNodeFunction(stack, 'Decider', DECIDER);
    const requestDecider = inlineNodeFunction(stack, 'RequestDecider', DECIDER);
    const api = new apigw.RestApi(stack, 'Rest', { cloudWatchRole: false, deployOptions: { stageName: 'prod', variables: { tier: 'gold' } } });
    const token = new apigw.TokenAuthorizer(stack, 'TokenAuth', { handler: decider, resultsCacheTtl: Duration.minutes(1), validationRegex: '^[a-z-]+$' });
    const request = new apigw.RequestAuthorizer(stack, 'RequestAuth', {
      handler: requestDecider, resultsCacheTtl: Duration.seconds(0),
      identitySources: [apigw.IdentitySource.header('X-User'), apigw.IdentitySource.queryString('team')],
    });
    const items = api.root.addResource('items');
    items.addMethod('GET', echo, { authorizer: token });
    items.addMethod('POST', echo, { authorizer: token });
    items.addResource('{id}').addMethod('GET', echo, { authorizer: request });
    api.root.addResource('public').addMethod('GET', echo);
    api.root.addResource('bad-regex').addMethod('GET', echo, { authorizer: new apigw.TokenAuthorizer(stack, 'BadRegex', { handler: decider, validationRegex: '([a-z' }) });
    const elsewhere = lambda.Function.fromFunctionArn(stack, 'Elsewhere', 'arn:aws:lambda:us-east-1:123456789012:function:elsewhere');
    api.root.addResource('ghost').addMethod('GET', echo, { authorizer: new apigw.TokenAuthorizer(stack, 'GhostAuth', { handler: elsewhere, authorizerName: 'ghost' }) });
  });
  base = app.harness.api('Rest', 'prod');
});
afterAll(() => app?.close());

const invocations = (name: string) => app.harness.invocationsOf(name).length;

test('an allowed token reaches the integration with principalId and the context, every value a string', async () => {
  const reply = await call(`${base}/items`, { headers: { Authorization: 'allow' } });
  expect(reply.status).toBe(200);
  const authorizer = reply.json().requestContext.authorizer;
  expect(authorizer).toMatchObject({ principalId: 'user-allow', count: '7', flag: 'true', integrationLatency: expect.any(Number) });
  // The TOKEN event: type, the header's value, the method ARN of the request.
  const event = JSON.parse(authorizer.event);
  const apiId = reply.json().requestContext.apiId;
  expect(event).toEqual({ type: 'TOKEN', authorizationToken: 'allow', methodArn: `arn:aws:execute-api:us-east-1:123456789012:${apiId}/prod/GET/items` });
});

test('an explicit Deny is 403 with the ACCESS_DENIED message; a policy allowing only another method is 403 too', async () => {
  const denied = await call(`${base}/items`, { headers: { Authorization: 'deny' } });
  expect([denied.status, denied.json(), denied.headers['x-amzn-errortype']]).toEqual([403, { Message: 'User is not authorized to access this resource with an explicit deny' }, 'AccessDeniedException']);
  const other = await call(`${base}/items`, { headers: { Authorization: 'other' } });
  expect([other.status, other.json()]).toEqual([403, { Message: 'User is not authorized to access this resource' }]);
});

test('a missing token or one failing the validation expression is 401 without invoking the authorizer', async () => {
  const before = invocations('Decider');
  const missing = await call(`${base}/items`);
  expect([missing.status, missing.json(), missing.headers['x-amzn-errortype']]).toEqual([401, { message: 'Unauthorized' }, 'UnauthorizedException']);
  const malformed = await call(`${base}/items`, { headers: { Authorization: 'NOT VALID 123' } });
  expect(malformed.status).toBe(401);
  await app.harness.runner.settled();
  expect(invocations('Decider')).toBe(before);
});

test('"Unauthorized" thrown by the authorizer is 401; an answer without a policy is 500 (authorizer configuration error)', async () => {
  const unauthorized = await call(`${base}/items`, { headers: { Authorization: 'unauthorized' } });
  expect([unauthorized.status, unauthorized.json()]).toEqual([401, { message: 'Unauthorized' }]);
  const broken = await call(`${base}/items`, { headers: { Authorization: 'broken' } });
  expect([broken.status, broken.json(), broken.headers['x-amzn-errortype']]).toEqual([500, { message: null }, 'AuthorizerConfigurationException']);
});

test('the answer is cached per token for the TTL (also for other methods, its policy evaluated again), then asked again', async () => {
  await app.harness.advance(120_000);
  const before = invocations('Decider');
  expect((await call(`${base}/items`, { headers: { Authorization: 'cache-me' } })).status).toBe(200);
  expect((await call(`${base}/items`, { method: 'POST', headers: { Authorization: 'cache-me' } })).status).toBe(200);
  expect((await call(`${base}/items`, { headers: { Authorization: 'cache-me' } })).status).toBe(200);
  await app.harness.runner.settled();
  expect(invocations('Decider')).toBe(before + 1);
  // A cached Deny is still a Deny.
  await call(`${base}/items`, { headers: { Authorization: 'deny' } });
  await app.harness.advance(61_000);
  expect((await call(`${base}/items`, { headers: { Authorization: 'cache-me' } })).status).toBe(200);
  await app.harness.runner.settled();
  expect(invocations('Decider')).toBe(before + 3);
});

test('a REQUEST authorizer gets the request (headers, query, path and stage variables, no body); every identity source is required', async () => {
  const reply = await call(`${base}/items/42?team=blue`, { method: 'GET', headers: { 'X-User': 'allow' } });
  expect(reply.status).toBe(200);
  const event = JSON.parse(reply.json().requestContext.authorizer.event);
  expect(event).toMatchObject({
    type: 'REQUEST', methodArn: expect.stringMatching(/\/prod\/GET\/items\/42$/), resource: '/items/{id}', path: '/items/42', httpMethod: 'GET',
    headers: expect.objectContaining({ 'X-User': 'allow' }), queryStringParameters: { team: 'blue' }, pathParameters: { id: '42' }, stageVariables: { tier: 'gold' },
    requestContext: expect.objectContaining({ stage: 'prod', resourcePath: '/items/{id}' }),
  });
  expect(event).not.toHaveProperty('body');
  const before = invocations('RequestDecider');
  expect((await call(`${base}/items/42`, { headers: { 'X-User': 'allow' } })).status).toBe(401);
  // TTL 0: no caching, every request asks.
  await call(`${base}/items/42?team=blue`, { headers: { 'X-User': 'allow' } });
  await call(`${base}/items/42?team=blue`, { headers: { 'X-User': 'allow' } });
  await app.harness.runner.settled();
  expect(invocations('RequestDecider')).toBe(before + 2);
});

test('a route without authorization is served as before; the live log names refused requests', async () => {
  expect((await call(`${base}/public`)).status).toBe(200);
  await call(`${base}/items`);
  expect(app.harness.lines.some((l) => /GET \/prod\/items -> 401 refused by Rest/.test(l))).toBe(true);
});

test('an authorizer whose function is not in the app is named at start; its routes answer 500', async () => {
  expect(app.harness.runner.auth.report()).toContainEqual(expect.stringMatching(/^authorizer ghost \(Rest\): Lambda TOKEN, cache 300 s; its function arn:aws:lambda:us-east-1:123456789012:function:elsewhere does not run here, so its routes answer 500$/));
  const reply = await call(`${base}/ghost`, { headers: { Authorization: 'allow' } });
  expect([reply.status, reply.headers['x-amzn-errortype']]).toEqual([500, 'AuthorizerConfigurationException']);
});

test('an IdentityValidationExpression that is no regular expression is named at start; its routes answer 500', async () => {
  expect(app.harness.runner.model.notes).toContainEqual('BadRegex: IdentityValidationExpression "([a-z" is not a valid regular expression; its routes answer 500');
  expect((await call(`${base}/bad-regex`, { headers: { Authorization: 'allow' } })).status).toBe(500);
});
