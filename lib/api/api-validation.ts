import { Duration } from 'aws-cdk-lib';
import { ApiAlarm, ApiAlarmsOptions } from './api-alarm-options';
import { validateAlarmProfile } from '../monitoring/validate-profile';
import { ResilientApiBaseProps } from './api-props';
import { RouteAuth, RouteAuthKind } from './route-auth';
import { ApiCorsOptions, RouteOptions, ThrottleLimits } from './route-options';
import { isConcrete, PropsValidator } from '../private/validation';

/** Which API a route is added to: the two kinds support different options. */
export type ApiKind = 'ResilientRestApi' | 'ResilientHttpApi';

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];

const LITERAL_SEGMENT = /^[A-Za-z0-9._~:@!$&'()*,;=-]+$/;
const PARAMETER_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;
const REQUEST_PARAMETER = /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.[^.\s]+$/;

/** One route as the user described it. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly options: RouteOptions;
  readonly defaultAuth?: RouteAuth;
}

/** What an API remembers about its routes to find conflicts. */
export interface RouteRegistry {
  /** `METHOD /path` of every route so far. */
  readonly keys: Set<string>;
  /** For REST: the variable segment name used under each parent path (siblings must agree). */
  readonly variableByParent: Map<string, string>;
}

/** Checks the props both API kinds share. */
export function validateApiBaseProps(v: PropsValidator, props: ResilientApiBaseProps): void {
  validateThrottle(v, 'throttle', props.throttle);
  validateCors(v, props.cors);
  validateApiAlarms(v, props.alarms);
  v.check(!(props.accessLogGroup && props.logRetention !== undefined), 'logRetention', props.logRetention, 'left unset when accessLogGroup is given');
}

export function validateThrottle(v: PropsValidator, prop: string, throttle: ThrottleLimits | undefined): void {
  if (!throttle) {
    return;
  }
  v.range(`${prop}.rateLimit`, throttle.rateLimit, 0);
  v.integer(`${prop}.burstLimit`, throttle.burstLimit, 0);
  if (isConcrete(throttle.rateLimit) && isConcrete(throttle.burstLimit) && throttle.rateLimit > 0 && throttle.burstLimit === 0) {
    v.fail(`${prop}.burstLimit must be >= 1 when rateLimit is above 0 (a burst of 0 rejects every request), got 0`);
  }
}

export function validateCors(v: PropsValidator, cors: ApiCorsOptions | undefined): void {
  if (!cors) {
    return;
  }
  v.check(cors.allowOrigins.length > 0, 'cors.allowOrigins', cors.allowOrigins, 'at least one origin (or [\'*\'])');
  for (const origin of cors.allowOrigins) {
    v.check(origin === '*' || /^https?:\/\/[^/\s]+$/.test(origin), 'cors.allowOrigins[]', origin, '"*" or a scheme and host without a path, e.g. "https://app.example.com"');
  }
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    v.fail('cors.allowOrigins must name origins when allowCredentials is true (browsers refuse credentials with "*"), got ["*"]');
  }
  for (const method of cors.allowMethods ?? []) {
    v.check(ROUTE_METHODS.includes(method) && method !== 'ANY', 'cors.allowMethods[]', method, 'one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
  }
  if (cors.maxAge && !cors.maxAge.isUnresolved()) {
    v.range('cors.maxAge (seconds)', cors.maxAge.toSeconds(), 0, 86400);
  }
}

export function validateApiAlarms(v: PropsValidator, alarms: ApiAlarmsOptions | undefined): void {
  if (!alarms) {
    return;
  }
  v.range('alarms.maxServerErrorRatePercent', alarms.maxServerErrorRatePercent, 0, 100);
  v.range('alarms.maxClientErrorRatePercent', alarms.maxClientErrorRatePercent, 0, 100);
  if (alarms.maxLatencyP99 && !alarms.maxLatencyP99.isUnresolved()) {
    v.range('alarms.maxLatencyP99 (milliseconds)', alarms.maxLatencyP99.toMilliseconds(), 1, 30000);
  }
  v.integer('alarms.minRequests', alarms.minRequests, 1);
  validateAlarmProfile(v, 'alarms.profile', alarms.profile);
  v.integer('alarms.evaluationPeriods', alarms.evaluationPeriods, 1);
  v.integer('alarms.datapointsToAlarm', alarms.datapointsToAlarm, 1);
  const periods = alarms.evaluationPeriods ?? 5;
  if (isConcrete(alarms.datapointsToAlarm) && isConcrete(periods)) {
    v.check(alarms.datapointsToAlarm <= periods, 'alarms.datapointsToAlarm', alarms.datapointsToAlarm, `<= evaluationPeriods (${periods})`);
  }
  validatePeriod(v, 'alarms.period', alarms.period);
  for (const kind of alarms.disable ?? []) {
    v.check(Object.values(ApiAlarm).includes(kind), 'alarms.disable[]', kind, `one of the ApiAlarm values (${Object.values(ApiAlarm).join(', ')})`);
  }
}

export function validatePeriod(v: PropsValidator, prop: string, period: Duration | undefined): void {
  if (period && !period.isUnresolved()) {
    const seconds = period.toSeconds();
    v.check([10, 30].includes(seconds) || (seconds >= 60 && seconds % 60 === 0), `${prop} (seconds)`, seconds, '10, 30 or a multiple of 60');
  }
}

/** Checks one route against the API kind and the routes already added. Returns the resolved auth. */
export function validateRoute(v: PropsValidator, kind: ApiKind, route: RouteRequest, registry: RouteRegistry, corsEnabled: boolean): RouteAuth | undefined {
  const { method, path, options } = route;
  v.check(ROUTE_METHODS.includes(method), 'method', method, `one of ${ROUTE_METHODS.join(', ')} (upper case)`);
  if (method === 'OPTIONS' && corsEnabled) {
    v.fail('method must not be OPTIONS when cors is set (the API answers CORS preflight requests itself), got "OPTIONS"');
  }
  const pathOk = validatePath(v, kind, path);
  const key = `${method} ${path}`;
  v.check(!registry.keys.has(key), 'route', key, 'unique within the API (each method and path once)');
  if (pathOk && kind === 'ResilientRestApi') {
    checkSiblingVariables(v, path, registry);
  }
  validateThrottle(v, 'throttle', options.throttle);

  if (kind === 'ResilientHttpApi') {
    const restOnly = 'unset on a ResilientHttpApi (HTTP APIs have no';
    v.check(options.apiKeyRequired === undefined || options.apiKeyRequired === false, 'apiKeyRequired', options.apiKeyRequired, `${restOnly} API keys or usage plans; use a ResilientRestApi)`);
    v.check(options.requestParameters === undefined, 'requestParameters', 'a map', `${restOnly} request validation; check parameters in the function)`);
    v.check(options.requestBodySchema === undefined, 'requestBodySchema', 'a schema', `${restOnly} request validation; check the body in the function)`);
    v.check(!options.responseStreaming, 'responseStreaming', options.responseStreaming,
      'unset or false on a ResilientHttpApi (HTTP APIs do not stream responses; use a ResilientRestApi route, or a function URL: fn.addFunctionUrl({ invokeMode: lambda.InvokeMode.RESPONSE_STREAM }))');
  }
  for (const name of Object.keys(options.requestParameters ?? {})) {
    v.check(REQUEST_PARAMETER.test(name), 'requestParameters key', name, 'method.request.<querystring|header|path>.<name>');
    const pathParameter = /^method\.request\.path\.(.+)$/.exec(name);
    if (pathParameter && !new RegExp(`\\{${pathParameter[1]}\\+?\\}`).test(path)) {
      v.fail(`requestParameters key ${JSON.stringify(name)} must name a {${pathParameter[1]}} segment of the path ${JSON.stringify(path)}`);
    }
  }

  const auth = options.auth ?? route.defaultAuth;
  if (!auth) {
    v.fail('auth must be given for the route or as the API\'s defaultAuth (use RouteAuth.none() to make a route public on purpose), got undefined');
    return undefined;
  }
  validateAuth(v, kind, auth);
  return auth;
}

function validatePath(v: PropsValidator, kind: ApiKind, path: string): boolean {
  const allowed = 'a path like "/", "/items" or "/items/{id}": a leading "/", no trailing "/", segments of letters, digits and ._~-, or {name}, with {name+} only last';
  if (typeof path !== 'string' || !path.startsWith('/') || (path !== '/' && path.endsWith('/'))) {
    v.check(false, 'path', path, allowed);
    return false;
  }
  if (path === '/') {
    return true;
  }
  const segments = path.slice(1).split('/');
  const names = new Set<string>();
  for (const [i, segment] of segments.entries()) {
    const variable = PARAMETER_SEGMENT.exec(segment);
    if (variable) {
      if (variable[2] === '+' && i !== segments.length - 1) {
        v.fail(`path must have its greedy {${variable[1]}+} segment last, got ${JSON.stringify(path)}`);
        return false;
      }
      if (names.has(variable[1])) {
        v.fail(`path must use each parameter name once, got ${JSON.stringify(path)} (repeats {${variable[1]}})`);
        return false;
      }
      names.add(variable[1]);
    } else if (!LITERAL_SEGMENT.test(segment) || segment.includes('{') || segment.includes('}')) {
      v.check(false, 'path', path, allowed);
      return false;
    }
  }
  if (kind === 'ResilientHttpApi' && path.length > 8192) {
    v.check(false, 'path', `${path.slice(0, 20)}...`, 'at most 8192 characters');
    return false;
  }
  return true;
}

// REST resources form a tree: /items/{id} and /items/{name} would be two variable children of one
// resource, which API Gateway rejects at deploy time.
function checkSiblingVariables(v: PropsValidator, path: string, registry: RouteRegistry): void {
  const segments = path === '/' ? [] : path.slice(1).split('/');
  let parent = '';
  for (const segment of segments) {
    if (PARAMETER_SEGMENT.test(segment)) {
      const existing = registry.variableByParent.get(parent || '/');
      if (existing !== undefined && existing !== segment) {
        v.fail(`path ${JSON.stringify(path)} must reuse the parameter ${existing} under ${JSON.stringify(parent || '/')} (a REST resource has at most one variable child), got ${segment}`);
        return;
      }
    }
    parent = `${parent}/${segment}`;
  }
}

/** Records a valid route so later routes are checked against it. */
export function registerRoute(registry: RouteRegistry, method: string, path: string): void {
  registry.keys.add(`${method} ${path}`);
  const segments = path === '/' ? [] : path.slice(1).split('/');
  let parent = '';
  for (const segment of segments) {
    if (PARAMETER_SEGMENT.test(segment)) {
      registry.variableByParent.set(parent || '/', segment);
    }
    parent = `${parent}/${segment}`;
  }
}

function validateAuth(v: PropsValidator, kind: ApiKind, auth: RouteAuth): void {
  if (kind === 'ResilientRestApi' && auth.kind === RouteAuthKind.JWT) {
    v.fail('auth must be RouteAuth.none(), iam(), cognito() or lambdaAuthorizer() on a ResilientRestApi (REST APIs have no JWT authorizer: use cognito() for a user pool or lambdaAuthorizer() to verify other tokens), got RouteAuth.jwt()');
  }
  const c = auth._cognito;
  if (c) {
    v.check(c.userPools.length > 0, 'auth.userPools', c.userPools.length, 'at least one user pool');
    if (kind === 'ResilientHttpApi') {
      v.check(c.userPools.length <= 1, 'auth.userPools (count)', c.userPools.length, 'exactly 1 on a ResilientHttpApi (a JWT authorizer trusts one issuer)');
      v.check((c.userPoolClients ?? []).length > 0, 'auth.userPoolClients (count)', (c.userPoolClients ?? []).length,
        'at least 1 on a ResilientHttpApi (the JWT authorizer checks the token audience against the app clients)');
    }
  }
  const jwt = auth._jwt;
  if (jwt) {
    if (isConcrete(jwt.issuer)) {
      v.check(/^https:\/\/[^\s]+$/.test(jwt.issuer), 'auth.issuer', jwt.issuer, 'an https:// URL');
    }
    v.check(jwt.audience.length > 0, 'auth.audience', jwt.audience, 'at least one audience');
  }
  for (const scope of auth.scopes ?? []) {
    v.check(/^\S+$/.test(scope), 'auth.scopes[]', scope, 'a scope name without spaces');
  }
  const lambda = auth._lambda;
  if (lambda) {
    if (lambda.resultsCacheTtl && !lambda.resultsCacheTtl.isUnresolved()) {
      v.range('auth.resultsCacheTtl (seconds)', lambda.resultsCacheTtl.toSeconds(), 0, 3600);
    }
    if (lambda.identityHeader !== undefined) {
      v.check(/^[A-Za-z0-9-]+$/.test(lambda.identityHeader), 'auth.identityHeader', lambda.identityHeader, 'a header name (letters, digits, dashes)');
    }
    if (kind === 'ResilientRestApi') {
      v.check(!lambda.simpleResponses, 'auth.simpleResponses', lambda.simpleResponses,
        'unset on a ResilientRestApi (REST Lambda authorizers answer with an IAM policy)');
    }
  }
}
