/*
 * Token authorizers API Gateway runs itself: HTTP API JWT authorizers (apigatewayv2-authorizers.HttpJwtAuthorizer,
 * HttpUserPoolAuthorizer) and REST Cognito user pools authorizers (apigateway.CognitoUserPoolsAuthorizer),
 * checked against the runner's local issuer (its key stands in for the app's issuers).
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { call } from '../support/http-client';
import { inlineNodeFunction } from '../support/probe-app';
import { AuthProbe, ECHO, startAuthProbe } from './support/auth-probe';

const ISSUER = 'https://issuer.example.com/';
let app: AuthProbe;
let http: string;
let rest: string;

beforeAll(async () => {
  app = await startAuthProbe((stack) => {
    const echo = inlineNodeFunction(stack, 'Echo', ECHO);
    const pool = new cognito.UserPool(stack, 'Pool');
    const client = pool.addClient('Web');
    const api = new apigwv2.HttpApi(stack, 'Http');
    const jwt = new HttpJwtAuthorizer('OrdersJwt', ISSUER, { jwtAudience: ['orders-api'], authorizerName: 'orders-jwt' });
    api.addRoutes({ path: '/me', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Me', echo), authorizer: jwt });
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Orders', echo), authorizer: jwt, authorizationScopes: ['orders:read'] });
    api.addRoutes({ path: '/pool', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Pool', echo), authorizer: new HttpUserPoolAuthorizer('PoolJwt', pool, { userPoolClients: [client], authorizerName: 'pool-jwt' }) });

    const restApi = new apigw.RestApi(stack, 'Rest', { cloudWatchRole: false, deployOptions: { stageName: 'prod' } });
    const authorizer = new apigw.CognitoUserPoolsAuthorizer(stack, 'PoolAuth', { cognitoUserPools: [pool], authorizerName: 'pool-rest' });
    const integration = new apigw.LambdaIntegration(echo);
    restApi.root.addResource('profile').addMethod('GET', integration, { authorizer, authorizationType: apigw.AuthorizationType.COGNITO });
    restApi.root.addResource('orders').addMethod('GET', integration, { authorizer, authorizationType: apigw.AuthorizationType.COGNITO, authorizationScopes: ['orders/read'] });
  });
  http = app.harness.api('Http');
  rest = app.harness.api('Rest', 'prod');
});
afterAll(() => app?.close());

const mint = (authorizer: string, claims: Record<string, unknown> = {}, seconds?: number) => app.harness.runner.auth.mintToken(authorizer, claims, seconds);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('HTTP API JWT authorizer', () => {
  test('a valid token passes; its claims (as strings) and scopes are in requestContext.authorizer.jwt', async () => {
    const reply = await call(`${http}/me`, { headers: bearer(mint('orders-jwt', { sub: 'u1', groups: ['a', 'b'], scope: 'orders:read profile' })) });
    expect(reply.status).toBe(200);
    const { claims, scopes } = reply.json().requestContext.authorizer.jwt;
    expect(claims).toMatchObject({ sub: 'u1', iss: ISSUER, aud: 'orders-api', groups: '[a b]', exp: expect.stringMatching(/^\d+$/) });
    expect(scopes).toEqual(['orders:read', 'profile']);
    // The token alone, without "Bearer ", is accepted too.
    expect((await call(`${http}/me`, { headers: { Authorization: mint('orders-jwt') } })).status).toBe(200);
  });

  test('expired, wrong audience, wrong issuer, not yet valid: 401 with the reason in www-authenticate', async () => {
    const expired = mint('orders-jwt', {}, 60);
    await app.harness.advance(61_000);
    const cases: Array<[string, string]> = [
      [expired, 'the token has expired'],
      [mint('orders-jwt', { aud: 'billing-api' }), 'the token does not have a valid audience'],
      [mint('orders-jwt', { iss: 'https://evil.example.com/' }), 'the token does not have a valid issuer'],
      [mint('orders-jwt', { nbf: Math.floor(app.harness.clock.now() / 1000) + 600 }), 'the token is not valid yet'],
    ];
    for (const [token, reason] of cases) {
      const reply = await call(`${http}/me`, { headers: bearer(token) });
      expect([reply.status, reply.json(), reply.headers['www-authenticate']]).toEqual([401, { message: 'Unauthorized' }, `Bearer scope="" error="invalid_token" error_description="${reason}"`]);
    }
  });

  test('client_id stands for the audience only when there is no aud', async () => {
    expect((await call(`${http}/me`, { headers: bearer(mint('orders-jwt', { aud: undefined, client_id: 'orders-api' })) })).status).toBe(200);
    expect((await call(`${http}/me`, { headers: bearer(mint('orders-jwt', { aud: 'other', client_id: 'orders-api' })) })).status).toBe(401);
  });

  test('a token signed by another key (same kid) or tampered with is refused; no token is 401', async () => {
    const good = mint('orders-jwt', { sub: 'u1' });
    const [header, payload] = good.split('.');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = `${header}.${payload}.${sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.${good.split('.')[2]}`;
    for (const token of [forged, tampered]) expect((await call(`${http}/me`, { headers: bearer(token) })).status).toBe(401);
    const none = await call(`${http}/me`);
    expect([none.status, none.json()]).toEqual([401, { message: 'Unauthorized' }]);
  });

  test("route scopes: a token without any of them is 403 insufficient_scope; scp lists count too", async () => {
    const missing = await call(`${http}/orders`, { headers: bearer(mint('orders-jwt', { scope: 'profile' })) });
    expect([missing.status, missing.json(), missing.headers['www-authenticate']]).toEqual([403, { message: 'Forbidden' }, 'Bearer scope="orders:read" error="insufficient_scope" error_description="expected scopes: [orders:read]"']);
    expect((await call(`${http}/orders`, { headers: bearer(mint('orders-jwt', { scope: 'profile orders:read' })) })).status).toBe(200);
    expect((await call(`${http}/orders`, { headers: bearer(mint('orders-jwt', { scp: ['orders:read'] })) })).status).toBe(200);
  });

  test("a user pool authorizer: the pool's issuer URL and its app client as the audience", async () => {
    const reply = await call(`${http}/pool`, { headers: bearer(mint('pool-jwt', { sub: 'u2' })) });
    expect(reply.status).toBe(200);
    expect(reply.json().requestContext.authorizer.jwt.claims.iss).toMatch(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+$/);
    expect((await call(`${http}/pool`, { headers: bearer(mint('orders-jwt')) })).status).toBe(401);
  });
});

describe('REST Cognito user pools authorizer', () => {
  test('an id token passes a method without scopes; claims in requestContext.authorizer.claims, times as dates', async () => {
    const reply = await call(`${rest}/profile`, { headers: { Authorization: mint('pool-rest', { sub: 'u3', email: 'u3@example.com' }) } });
    expect(reply.status).toBe(200);
    const claims = reply.json().requestContext.authorizer.claims;
    expect(claims).toMatchObject({ sub: 'u3', email: 'u3@example.com', token_use: 'id', exp: expect.stringMatching(/^\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}$/) });
  });

  test('a method with scopes needs an access token carrying one; else 401', async () => {
    expect((await call(`${rest}/orders`, { headers: { Authorization: mint('pool-rest', { scope: 'orders/read' }) } })).status).toBe(200);
    expect((await call(`${rest}/orders`, { headers: { Authorization: mint('pool-rest', { scope: 'orders/write' }) } })).status).toBe(401);
    expect((await call(`${rest}/orders`, { headers: { Authorization: mint('pool-rest') } })).status).toBe(401);
  });

  test('expired is 401 "The incoming token has expired"; another issuer or no token is 401 Unauthorized', async () => {
    const expired = mint('pool-rest', {}, 30);
    await app.harness.advance(31_000);
    const reply = await call(`${rest}/profile`, { headers: { Authorization: expired } });
    expect([reply.status, reply.json()]).toEqual([401, { message: 'The incoming token has expired' }]);
    expect((await call(`${rest}/profile`, { headers: { Authorization: mint('orders-jwt') } })).json()).toEqual({ message: 'Unauthorized' });
    expect((await call(`${rest}/profile`)).status).toBe(401);
  });
});

test('the start-up report says the tokens are checked against the local issuer, and how to mint one', () => {
  const lines = app.harness.runner.auth.report();
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/authorizer orders-jwt \(Http\): JWT tokens of https:\/\/issuer\.example\.com\/ are checked against the LOCAL issuer's key \(http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json\).*token --authorizer "orders-jwt"/)]));
});

test("the start-up report's suggestions mint a token with one of the route's scopes", () => {
  expect(app.harness.runner.urlsToTry()).toContain(`curl -H "Authorization: Bearer $(npx cdk-resilient-serverless token --authorizer "orders-jwt" --claims '{"scope":"orders:read"}')" ${http}/orders`);
});

test('the JWKS endpoint serves the public key the tokens verify with', async () => {
  const jwks = await (await fetch(app.harness.runner.auth.jwksUrl!)).json() as { keys: Array<{ kid: string; kty: string; n: string; d?: string }> };
  const kid = JSON.parse(Buffer.from(mint('orders-jwt').split('.')[0], 'base64url').toString()).kid;
  expect(jwks.keys).toEqual([expect.objectContaining({ kid, kty: 'RSA', alg: 'RS256', n: expect.any(String) })]);
  expect(jwks.keys[0].d).toBeUndefined();
});
