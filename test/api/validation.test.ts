import { CfnParameter, Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ResilientFunction, ResilientHttpApi, ResilientHttpApiProps, ResilientRestApi, ResilientRestApiProps, RouteAuth } from '../../lib';
import { echoFunction, newStack } from '../support/stacks';

// One stack and one function for every case: APIs are cheap, bundling a function is not.
const stack = newStack('Stage');
const fn = echoFunction(stack);
const pool = new cognito.UserPool(stack, 'Pool');
const otherPool = new cognito.UserPool(stack, 'OtherPool');
const client = pool.addClient('Web');
const none = RouteAuth.none();
let counter = 0;

type Api = ResilientRestApi | ResilientHttpApi;
type Kind = 'REST' | 'HTTP';

function newApi(kind: Kind, props: ResilientRestApiProps & ResilientHttpApiProps = {}): Api {
  const id = `Api${++counter}`;
  return kind === 'REST' ? new ResilientRestApi(stack, id, props) : new ResilientHttpApi(stack, id, props);
}

function messageOf(action: () => void): string {
  try {
    action();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

// Each case: API kind, what to add (to a fresh API), then fragments the error must contain.
const routeCases: Array<[string, Kind, (api: Api, f: ResilientFunction) => void, string[]]> = [
  ['lower-case method', 'HTTP', (api, f) => api.addRoute('get', '/a', f, { auth: none }), ['method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY (upper case), got "get"']],
  ['unknown method', 'REST', (api, f) => api.addRoute('FETCH', '/a', f, { auth: none }), ['method must be one of', 'got "FETCH"']],
  ['path without a leading slash', 'REST', (api, f) => api.addRoute('GET', 'hello', f, { auth: none }), ['path must be a path like "/", "/items" or "/items/{id}"', 'got "hello"']],
  ['path with a trailing slash', 'HTTP', (api, f) => api.addRoute('GET', '/hello/', f, { auth: none }), ['path must be a path like', 'got "/hello/"']],
  ['path with an empty segment', 'REST', (api, f) => api.addRoute('GET', '/a//b', f, { auth: none }), ['path must be a path like', 'got "/a//b"']],
  ['path with a space', 'HTTP', (api, f) => api.addRoute('GET', '/hello world', f, { auth: none }), ['got "/hello world"']],
  ['greedy segment not last', 'REST', (api, f) => api.addRoute('GET', '/{proxy+}/x', f, { auth: none }), ['path must have its greedy {proxy+} segment last, got "/{proxy+}/x"']],
  ['repeated parameter name', 'HTTP', (api, f) => api.addRoute('GET', '/a/{id}/b/{id}', f, { auth: none }), ['path must use each parameter name once', '(repeats {id})']],
  ['duplicate route', 'HTTP', (api, f) => { api.addRoute('GET', '/a', f, { auth: none }); api.addRoute('GET', '/a', f, { auth: none }); }, ['route must be unique within the API (each method and path once), got "GET /a"']],
  ['REST sibling parameters with different names', 'REST', (api, f) => { api.addRoute('GET', '/items/{id}', f, { auth: none }); api.addRoute('GET', '/items/{name}/tags', f, { auth: none }); },
    ['path "/items/{name}/tags" must reuse the parameter {id} under "/items"', 'got {name}']],
  ['negative route rate', 'REST', (api, f) => api.addRoute('GET', '/a', f, { auth: none, throttle: { rateLimit: -1, burstLimit: 5 } }), ['throttle.rateLimit must be >= 0, got -1']],
  ['fractional burst', 'HTTP', (api, f) => api.addRoute('GET', '/a', f, { auth: none, throttle: { rateLimit: 10, burstLimit: 2.5 } }), ['throttle.burstLimit must be an integer >= 0, got 2.5']],
  ['burst 0 with a positive rate', 'REST', (api, f) => api.addRoute('GET', '/a', f, { auth: none, throttle: { rateLimit: 10, burstLimit: 0 } }), ['throttle.burstLimit must be >= 1 when rateLimit is above 0']],
  ['no auth and no defaultAuth', 'HTTP', (api, f) => api.addRoute('GET', '/a', f), ['auth must be given for the route or as the API\'s defaultAuth (use RouteAuth.none() to make a route public on purpose), got undefined']],
  ['JWT on a REST API', 'REST', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.jwt({ issuer: 'https://i.example.com', audience: ['a'] }) }),
    ['auth must be RouteAuth.none(), iam(), cognito() or lambdaAuthorizer() on a ResilientRestApi (REST APIs have no JWT authorizer', 'got RouteAuth.jwt()']],
  ['simple Lambda authorizer responses on a REST API', 'REST', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.lambdaAuthorizer({ handler: f, simpleResponses: true }) }),
    ['auth.simpleResponses must be unset on a ResilientRestApi (REST Lambda authorizers answer with an IAM policy), got true']],
  ['API key on an HTTP API', 'HTTP', (api, f) => api.addRoute('GET', '/a', f, { auth: none, apiKeyRequired: true }),
    ['apiKeyRequired must be unset on a ResilientHttpApi (HTTP APIs have no API keys or usage plans; use a ResilientRestApi), got true']],
  ['request parameters on an HTTP API', 'HTTP', (api, f) => api.addRoute('GET', '/a', f, { auth: none, requestParameters: { 'method.request.querystring.q': true } }),
    ['requestParameters must be unset on a ResilientHttpApi (HTTP APIs have no request validation']],
  ['body schema on an HTTP API', 'HTTP', (api, f) => api.addRoute('POST', '/a', f, { auth: none, requestBodySchema: { type: 'object' as any } }), ['requestBodySchema must be unset on a ResilientHttpApi']],
  ['Cognito on an HTTP API without app clients', 'HTTP', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.cognito({ userPools: [pool] }) }),
    ['auth.userPoolClients (count) must be at least 1 on a ResilientHttpApi (the JWT authorizer checks the token audience against the app clients), got 0']],
  ['Cognito on an HTTP API with two pools', 'HTTP', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.cognito({ userPools: [pool, otherPool], userPoolClients: [client] }) }),
    ['auth.userPools (count) must be exactly 1 on a ResilientHttpApi (a JWT authorizer trusts one issuer), got 2']],
  ['Cognito without pools', 'REST', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.cognito({ userPools: [] }) }), ['auth.userPools must be at least one user pool, got 0']],
  ['JWT issuer over plain HTTP', 'HTTP', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.jwt({ issuer: 'http://i.example.com', audience: ['a'] }) }), ['auth.issuer must be an https:// URL, got "http://i.example.com"']],
  ['JWT without audience', 'HTTP', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.jwt({ issuer: 'https://i.example.com', audience: [] }) }), ['auth.audience must be at least one audience, got []']],
  ['authorizer cache above an hour', 'REST', (api, f) => api.addRoute('GET', '/a', f, { auth: RouteAuth.lambdaAuthorizer({ handler: f, resultsCacheTtl: Duration.hours(2) }) }),
    ['auth.resultsCacheTtl (seconds) must be between 0 and 3600, got 7200']],
  ['request parameter with a bad name', 'REST', (api, f) => api.addRoute('GET', '/a', f, { auth: none, requestParameters: { 'querystring.q': true } }),
    ['requestParameters key must be method.request.<querystring|header|path>.<name>, got "querystring.q"']],
  ['path parameter missing from the path', 'REST', (api, f) => api.addRoute('GET', '/items', f, { auth: none, requestParameters: { 'method.request.path.id': true } }),
    ['requestParameters key "method.request.path.id" must name a {id} segment of the path "/items"']],
];

describe('addRoute: bad input fails at synth time naming the API, the route, the option, the value and what is allowed', () => {
  test.each(routeCases)('%s (%s)', (_name, kind, add, fragments) => {
    const api = newApi(kind);
    const message = messageOf(() => add(api, fn));
    expect(message).toMatch(new RegExp(`^Resilient${kind === 'REST' ? 'Rest' : 'Http'}Api\\.addRoute\\(\\w+ [^)]*\\) at 'Stage/Api\\d+' has \\d+ problems? in its props:`));
    for (const fragment of fragments) {
      expect(message).toContain(fragment);
    }
  });

  test('OPTIONS cannot be routed when CORS answers preflights', () => {
    const api = newApi('HTTP', { cors: { allowOrigins: ['https://a.example.com'] } });
    expect(messageOf(() => api.addRoute('OPTIONS', '/a', fn, { auth: none }))).toContain('method must not be OPTIONS when cors is set');
  });

  test('every problem of one route in one error', () => {
    const api = newApi('HTTP');
    expect(messageOf(() => api.addRoute('get', 'a', fn, { apiKeyRequired: true })))
      .toMatch(/has 4 problems in its props:\n {2}- method .*\n {2}- path .*\n {2}- apiKeyRequired .*\n {2}- auth must be given/);
  });

  test('a rejected route leaves nothing behind and does not block a correct one', () => {
    const api = newApi('REST') as ResilientRestApi;
    expect(() => api.addRoute('GET', '/a', fn, { auth: none, throttle: { rateLimit: -1, burstLimit: 1 } })).toThrow();
    expect(api.restApi.methods).toHaveLength(0);
    api.addRoute('GET', '/a', fn, { auth: none });
    expect(api.restApi.methods).toHaveLength(1);
  });

  test('the same path with another method, and ANY beside GET, are allowed', () => {
    const api = newApi('HTTP');
    api.addRoute('GET', '/a', fn, { auth: none });
    api.addRoute('POST', '/a', fn, { auth: none });
    api.addRoute('ANY', '/a', fn, { auth: none });
    const routes = api.node.findAll().filter((c): c is apigwv2.HttpRoute => c instanceof apigwv2.HttpRoute);
    expect(routes.map((r) => (r.node.defaultChild as apigwv2.CfnRoute).routeKey).sort()).toEqual(['ANY /a', 'GET /a', 'POST /a']);
  });
});

const propsCases: Array<[string, Kind, ResilientRestApiProps, string[]]> = [
  ['negative stage rate', 'HTTP', { throttle: { rateLimit: -5, burstLimit: 10 } }, ['throttle.rateLimit must be >= 0, got -5']],
  ['CORS "*" with credentials', 'REST', { cors: { allowOrigins: ['*'], allowCredentials: true } }, ['cors.allowOrigins must name origins when allowCredentials is true']],
  ['CORS without origins', 'HTTP', { cors: { allowOrigins: [] } }, ['cors.allowOrigins must be at least one origin']],
  ['CORS origin with a path', 'REST', { cors: { allowOrigins: ['https://a.example.com/app'] } }, ['cors.allowOrigins[] must be "*" or a scheme and host without a path', 'got "https://a.example.com/app"']],
  ['CORS method ANY', 'HTTP', { cors: { allowOrigins: ['*'], allowMethods: ['ANY'] } }, ['cors.allowMethods[] must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, got "ANY"']],
  ['5XX rate above 100%', 'REST', { alarms: { maxServerErrorRatePercent: 150 } }, ['alarms.maxServerErrorRatePercent must be between 0 and 100, got 150']],
  ['datapoints above evaluation periods', 'HTTP', { alarms: { evaluationPeriods: 2, datapointsToAlarm: 3 } }, ['alarms.datapointsToAlarm must be <= evaluationPeriods (2), got 3']],
  ['latency threshold beyond the API Gateway maximum', 'REST', { alarms: { maxLatencyP99: Duration.seconds(60) } }, ['alarms.maxLatencyP99 (milliseconds) must be between 1 and 30000, got 60000']],
  ['alarm period of 45 s', 'HTTP', { alarms: { period: Duration.seconds(45) } }, ['alarms.period (seconds) must be 10, 30 or a multiple of 60, got 45']],
  ['stage name with a dash', 'REST', { stageName: 'my-stage' }, ['stageName must be letters, digits and underscores (1-128), got "my-stage"']],
  ['a CloudFront-scope web ACL', 'REST', { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/abc' }, ['webAclArn must be a REGIONAL WAFv2 web ACL ARN']],
];

describe('props: bad input fails at synth time', () => {
  test.each(propsCases)('%s (%s)', (_name, kind, props, fragments) => {
    const message = messageOf(() => newApi(kind, props));
    expect(message).toMatch(new RegExp(`^Resilient${kind === 'REST' ? 'Rest' : 'Http'}Api at 'Stage/Api\\d+' has \\d+ problems? in its props:`));
    for (const fragment of fragments) {
      expect(message).toContain(fragment);
    }
  });

  test('log retention together with an access log group', () => {
    const group = new logs.LogGroup(stack, 'Group');
    expect(messageOf(() => newApi('HTTP', { accessLogGroup: group, logRetention: logs.RetentionDays.ONE_DAY })))
      .toContain('logRetention must be left unset when accessLogGroup is given, got 1');
  });
});

describe('CDK tokens pass validation untouched (they resolve at deploy time)', () => {
  test('throttle limits, alarm thresholds, cache TTL, web ACL ARN', () => {
    const rate = new CfnParameter(stack, 'Rate', { type: 'Number' }).valueAsNumber;
    const burst = new CfnParameter(stack, 'Burst', { type: 'Number' }).valueAsNumber;
    const ttl = new CfnParameter(stack, 'Ttl', { type: 'Number' }).valueAsNumber;
    const acl = new CfnParameter(stack, 'Acl').valueAsString;
    const api = new ResilientRestApi(stack, 'Tokens', { throttle: { rateLimit: rate, burstLimit: burst }, webAclArn: acl, alarms: { maxServerErrorRatePercent: rate, maxLatencyP99: Duration.millis(ttl) } });
    expect(() => api.addRoute('GET', '/a', fn, { auth: RouteAuth.lambdaAuthorizer({ handler: fn, resultsCacheTtl: Duration.seconds(ttl) }), throttle: { rateLimit: rate, burstLimit: burst } })).not.toThrow();
  });
});
