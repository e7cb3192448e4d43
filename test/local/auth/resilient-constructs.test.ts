/*
 * This library's ResilientHttpApi and ResilientRestApi with RouteAuth (none, iam, jwt, cognito,
 * lambdaAuthorizer) and apiKeyRequired, run locally: each kind is enforced, and the route's function sees what
 * API Gateway puts into requestContext.
 */
import * as path from 'node:path';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ResilientFunction, ResilientHttpApi, ResilientRestApi, RouteAuth } from '../../../lib';
import { call } from '../support/http-client';
import { AuthProbe, startAuthProbe } from './support/auth-probe';

let app: AuthProbe;
let http: string;
let rest: string;
let key: string;

beforeAll(async () => {
  app = await startAuthProbe((stack) => {
    const echo = new ResilientFunction(stack, 'Echo', { entry: path.join(__dirname, 'fixtures', 'echo.ts') });
    const decide = new ResilientFunction(stack, 'Decide', { entry: path.join(__dirname, 'fixtures', 'decide.ts') });
    const pool = new cognito.UserPool(stack, 'Pool');
    const client = pool.addClient('Web');
    const lambdaAuth = RouteAuth.lambdaAuthorizer({ handler: decide });

    const httpApi = new ResilientHttpApi(stack, 'Http');
    httpApi.addRoute('GET', '/public', echo, { auth: RouteAuth.none() });
    httpApi.addRoute('GET', '/jwt', echo, { auth: RouteAuth.jwt({ issuer: 'https://id.example.com/', audience: ['orders'], scopes: ['orders:read'] }) });
    httpApi.addRoute('GET', '/cognito', echo, { auth: RouteAuth.cognito({ userPools: [pool], userPoolClients: [client] }) });
    httpApi.addRoute('GET', '/lambda', echo, { auth: lambdaAuth });
    httpApi.addRoute('GET', '/iam', echo, { auth: RouteAuth.iam() });

    const restApi = new ResilientRestApi(stack, 'Rest');
    restApi.addRoute('GET', '/cognito', echo, { auth: RouteAuth.cognito({ userPools: [pool] }) });
    restApi.addRoute('GET', '/lambda', echo, { auth: RouteAuth.lambdaAuthorizer({ handler: decide }) });
    restApi.addRoute('GET', '/iam', echo, { auth: RouteAuth.iam() });
    restApi.addRoute('GET', '/keyed', echo, { auth: RouteAuth.none(), apiKeyRequired: true });
    restApi.addUsagePlan('Partners').addApiKey(restApi.restApi.addApiKey('Partner'));
  });
  http = app.harness.api('Http/HttpApi');
  rest = app.harness.api('Rest/RestApi');
  key = /: (\S+)/.exec(app.harness.runner.auth.report().find((l) => l.startsWith('API key '))!)![1];
}, 120_000);
afterAll(() => app?.close());

/** A token for the API's authorizer of that issuer (on HTTP APIs a user pool is a JWT authorizer too). */
const tokenFor = (api: string, issuer: 'id.example.com' | 'cognito-idp', claims: Record<string, unknown> = {}) => {
  const spec = app.harness.runner.model.apis.find((a) => a.displayName === api)!.auth!.authorizers.find((a) => a.kind !== 'lambda' && a.issuers[0].includes(issuer))!;
  return app.harness.runner.auth.mintToken(spec.displayName, claims);
};

test('ResilientHttpApi: RouteAuth.none() is open; jwt() checks the token and its scopes', async () => {
  expect((await call(`${http}/public`)).status).toBe(200);
  expect((await call(`${http}/jwt`)).status).toBe(401);
  expect((await call(`${http}/jwt`, { headers: { Authorization: `Bearer ${tokenFor('Http/HttpApi', 'id.example.com', { scope: 'orders:write' })}` } })).status).toBe(403);
  const ok = await call(`${http}/jwt`, { headers: { Authorization: `Bearer ${tokenFor('Http/HttpApi', 'id.example.com', { sub: 'u9', scope: 'orders:read' })}` } });
  expect([ok.status, ok.json().requestContext.authorizer.jwt.claims.sub]).toEqual([200, 'u9']);
});

test('ResilientHttpApi: cognito() is a JWT authorizer for the pool and client; lambdaAuthorizer() runs the function; iam() wants a signature', async () => {
  const cognitoOk = await call(`${http}/cognito`, { headers: { Authorization: tokenFor('Http/HttpApi', 'cognito-idp', { sub: 'c1' }) } });
  expect(cognitoOk.status).toBe(200);
  const allowed = await call(`${http}/lambda`, { headers: { Authorization: 'let-me-in' } });
  expect([allowed.status, allowed.json().requestContext.authorizer.lambda]).toEqual([200, { tenant: 'acme' }]);
  expect((await call(`${http}/lambda`, { headers: { Authorization: 'wrong' } })).status).toBe(403);
  expect((await call(`${http}/lambda`)).status).toBe(401);
  expect((await call(`${http}/iam`)).status).toBe(403);
});

test('ResilientRestApi: cognito(), lambdaAuthorizer(), iam() and apiKeyRequired are enforced', async () => {
  const claims = await call(`${rest}/cognito`, { headers: { Authorization: tokenFor('Rest/RestApi', 'cognito-idp', { sub: 'r1' }) } });
  expect([claims.status, claims.json().requestContext.authorizer.claims.sub]).toEqual([200, 'r1']);
  const allowed = await call(`${rest}/lambda`, { headers: { Authorization: 'let-me-in' } });
  expect([allowed.status, allowed.json().requestContext.authorizer]).toEqual([200, expect.objectContaining({ principalId: 'user-let-me-in', tenant: 'acme' })]);
  expect((await call(`${rest}/lambda`, { headers: { Authorization: 'wrong' } })).status).toBe(403);
  expect((await call(`${rest}/iam`)).json()).toEqual({ message: 'Missing Authentication Token' });
  expect((await call(`${rest}/keyed`)).status).toBe(403);
  expect((await call(`${rest}/keyed`, { headers: { 'x-api-key': key } })).status).toBe(200);
});
