/*
 * `cdk-resilient-serverless token`: mints a token the running app's JWT authorizer accepts, with the key the
 * runner keeps in --data-dir/auth (or the runner cache); its bad input is a one-line error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { SIGNING_KEY_FILE } from '../../../lib/local/auth/local-issuer';
import { main } from '../../../lib/local/cli/main';
import { startLocalRunner } from '../../../lib/local/runner';
import { call } from '../support/http-client';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { ECHO } from './support/auth-probe';

let probe: ProbeAssembly;
let dataDir: string;

beforeAll(() => {
  probe = synthesizeProbe((stack) => {
    const echo = new HttpLambdaIntegration('Echo', inlineNodeFunction(stack, 'Echo', ECHO));
    const api = new apigwv2.HttpApi(stack, 'Http');
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: echo, authorizer: new HttpJwtAuthorizer('A', 'https://a.example.com/', { jwtAudience: ['a-api'], authorizerName: 'a-jwt' }), authorizationScopes: ['orders:read'] });
    api.addRoutes({ path: '/b', methods: [apigwv2.HttpMethod.GET], integration: echo, authorizer: new HttpJwtAuthorizer('B', 'https://b.example.com/', { jwtAudience: ['b-api'], authorizerName: 'b-jwt' }) });
  });
  dataDir = mkdtempSync(join(tmpdir(), 'local-token-'));
});
afterAll(() => {
  probe?.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('a token minted by the CLI before the runner starts is accepted by it (same --data-dir), with its claims', async () => {
  const minted = await run(['token', '--app', probe.directory, '--authorizer', 'a-jwt', '--claims', '{"sub":"u1","scope":"orders:read"}', '--expires-in', '30m', '--data-dir', dataDir]);
  expect([minted.code, minted.err]).toEqual([0, '']);
  const claims = JSON.parse(Buffer.from(minted.out.split('.')[1], 'base64url').toString());
  expect(claims).toMatchObject({ sub: 'u1', scope: 'orders:read', iss: 'https://a.example.com/', aud: 'a-api' });
  expect(claims.exp - claims.iat).toBe(1800);
  expect(readFileSync(join(dataDir, 'auth', SIGNING_KEY_FILE), 'utf8')).toMatch(/PRIVATE KEY/);

  const runner = await startLocalRunner({ assembly: probe.directory, port: 0, dataDirectory: dataDir, log: () => undefined, functionOutput: false });
  try {
    const url = `${runner.apis[0].url}/orders`;
    const reply = await call(url, { headers: { Authorization: `Bearer ${minted.out}` } });
    expect(reply.status).toBe(200);
    expect(reply.json().requestContext.authorizer.jwt.claims.sub).toBe('u1');
    // A token of the other authorizer has the wrong issuer and audience here.
    const other = await run(['token', '--app', probe.directory, '--authorizer', 'b-jwt', '--data-dir', dataDir]);
    expect((await call(url, { headers: { Authorization: other.out } })).status).toBe(401);
  } finally {
    await runner.close();
  }
});

test('bad input: one line naming the option and what is allowed', async () => {
  const unknown = await run(['token', '--app', probe.directory, '--authorizer', 'nope', '--data-dir', dataDir]);
  expect([unknown.code, unknown.err]).toEqual([1, 'error: --authorizer "nope" is not a JWT or Cognito authorizer of the app; it has: a-jwt, b-jwt']);
  const ambiguous = await run(['token', '--app', probe.directory, '--data-dir', dataDir]);
  expect([ambiguous.code, ambiguous.err]).toEqual([1, "error: --authorizer is needed to say which authorizer the token is for; the app's JWT and Cognito authorizers: a-jwt, b-jwt"]);
  const duration = await run(['token', '--app', probe.directory, '--authorizer', 'a-jwt', '--expires-in', 'soon', '--data-dir', dataDir]);
  expect([duration.code, duration.err]).toEqual([1, 'error: --expires-in must be a positive number of seconds, or one with a unit (90s, 30m, 1h, 7d), got "soon"']);
  const claims = await run(['token', '--app', probe.directory, '--claims', '[1]']);
  expect(claims.code).toBe(2);
  expect(claims.err).toMatch(/--claims.*must be a JSON object/);
  const noApp = await run(['token', '--app', '/nonexistent/cdk.out']);
  expect([noApp.code, noApp.err]).toEqual([1, expect.stringMatching(/^error: No cloud assembly at \/nonexistent\/cdk.out/)]);
});

test('the usage lists the command', async () => {
  const usage = await run(['token', '--help']);
  expect(usage.out).toMatch(/--authorizer <name>/);
  expect((await run(['--help'])).out).toMatch(/token\s+Mints a token/);
});
