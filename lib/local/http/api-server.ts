import { createServer, Server, ServerResponse } from 'node:http';
import { ApiGuard, AuthServices, GuardOutcome, GuardRequest } from '../auth/api-guard';
import type { InvocationResult } from '../execution';
import type { LocalFunctions } from '../functions/local-functions';
import type { ApiSpec, HttpApiSpec, HttpRouteSpec, RestApiSpec, RestRouteSpec, RouteBackend } from '../model/specs';
import { preflight, withCors } from './cors';
import { HttpAnswer, messageAnswer } from './http-answer';
import { httpEvent, httpResponse } from './http-v2';
import { IncomingRequest, matchesMediaTypes, readIncomingRequest } from './incoming-request';
import { closeServer, listen } from './listen';
import { betterScore, compilePath, matchPath, PathTemplate, splitPath } from './path-template';
import { restEvent, restResponse } from './rest-v1';
import { serveStreamedResponse } from './streamed-response';
import { TokenBucket } from './token-bucket';

/** What the server tells the runner about each request. */
export interface ApiRequestRecord {
  readonly api: ApiSpec;
  readonly method: string;
  readonly path: string;
  readonly routeKey?: string;
  readonly status: number;
  readonly throttledByStage: boolean;
  /** API Gateway refused it before the integration: authorization, API key or usage plan (lib/local/auth). */
  readonly refusedByGuard?: boolean;
}

export interface ApiServerOptions {
  readonly functions: LocalFunctions;
  readonly account: string;
  readonly region: string;
  readonly port: number;
  readonly host: string;
  readonly onRequest?: (record: ApiRequestRecord) => void;
  /** API Gateway's integration timeout where the integration sets no TimeoutInMillis. @default 29000 for REST, 30000 for HTTP APIs */
  readonly integrationTimeoutMs?: number;
  /** How long a streamed REST response may stay silent before API Gateway cuts it off. @default 300000 (regional endpoints) */
  readonly streamIdleTimeoutMs?: number;
  /** Authorizers, IAM signatures, API keys (lib/local/auth). @default - routes are served without authorization */
  readonly auth?: AuthServices;
}

/** API Gateway's answers, which differ in wording between REST and HTTP APIs. */
const REST_ERRORS = {
  failed: messageAnswer(502, 'Internal server error', [['x-amzn-ErrorType', 'InternalServerErrorException']]),
  throttled: messageAnswer(500, 'Internal server error', [['x-amzn-ErrorType', 'InternalServerErrorException']]),
  tooMany: messageAnswer(429, 'Too Many Requests', [['x-amzn-ErrorType', 'TooManyRequestsException']]),
  noRoute: messageAnswer(403, 'Missing Authentication Token', [['x-amzn-ErrorType', 'MissingAuthenticationTokenException']]),
  timedOut: messageAnswer(504, 'Endpoint request timed out'),
  misconfigured: messageAnswer(500, 'Internal server error'),
};
const HTTP_ERRORS = {
  failed: messageAnswer(500, 'Internal Server Error'),
  throttled: messageAnswer(500, 'Internal Server Error'),
  tooMany: messageAnswer(429, 'Too Many Requests'),
  noRoute: messageAnswer(404, 'Not Found'),
  timedOut: messageAnswer(503, 'Service Unavailable'),
  misconfigured: messageAnswer(500, 'Internal Server Error'),
};

interface Dispatch {
  readonly answer?: HttpAnswer;
  readonly routeKey?: string;
  readonly backend?: RouteBackend;
  readonly bucket?: TokenBucket;
  readonly event?: (payloadVersion: '1.0' | '2.0') => unknown;
  /** The route's authorization and API key check (lib/local/auth), when it has any. */
  readonly guard?: () => Promise<GuardOutcome>;
}

/** Serves one REST (v1) or HTTP (v2) API on its own port, as API Gateway would. */
export class ApiServer {
  readonly url: string;
  readonly port: number;

  private constructor(readonly spec: ApiSpec, private readonly server: Server, port: number, host: string) {
    this.port = port;
    this.url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  }

  static async start(spec: ApiSpec, options: ApiServerOptions): Promise<ApiServer> {
    const router = spec.kind === 'rest' ? new RestRouter(spec, options) : new HttpRouter(spec, options);
    const errors = spec.kind === 'rest' ? REST_ERRORS : HTTP_ERRORS;
    const timeoutMs = options.integrationTimeoutMs ?? (spec.kind === 'rest' ? 29_000 : 30_000);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const incoming = readIncomingRequest(req, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        serve(incoming, router, errors, timeoutMs, options, spec, res)
          .then((answer) => answer && write(res, spec.kind === 'http' && spec.cors ? withCors(spec.cors, incoming, answer, !spec.functionUrl) : answer, incoming, spec))
          .catch((err: Error) => write(res, { ...errors.misconfigured, body: Buffer.from(JSON.stringify({ message: err.message })) }, incoming, spec));
      });
    });
    server.keepAliveTimeout = 65_000;
    const port = await listen(server, options.port, options.host, `${spec.kind === 'rest' ? 'REST' : 'HTTP'} API ${spec.displayName}`);
    return new ApiServer(spec, server, port, options.host);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}

async function serve(req: IncomingRequest, router: RestRouter | HttpRouter, errors: typeof REST_ERRORS, timeoutMs: number, options: ApiServerOptions, spec: ApiSpec, res: ServerResponse): Promise<HttpAnswer | undefined> {
  const d = router.dispatch(req);
  const record = (status: number, throttledByStage = false, refusedByGuard = false) =>
    options.onRequest?.({ api: spec, method: req.method, path: req.urlPath, ...(d.routeKey ? { routeKey: d.routeKey } : {}), status, throttledByStage, ...(refusedByGuard ? { refusedByGuard } : {}) });
  if (d.answer) {
    record(d.answer.status);
    return d.answer;
  }
  if (d.bucket && !d.bucket.take()) {
    record(429, true);
    return errors.tooMany;
  }
  const guarded = d.guard ? await d.guard() : undefined;
  if (guarded && 'answer' in guarded) {
    record(guarded.answer.status, false, true);
    return guarded.answer;
  }
  const backend = d.backend!;
  if (backend.kind === 'mock') {
    record(backend.statusCode);
    return { status: backend.statusCode, headers: Object.entries(backend.headers), body: Buffer.alloc(0) };
  }
  const fn = backend.kind === 'lambda' ? options.functions.resolve(backend.functionArn) : undefined;
  if (!fn || backend.kind !== 'lambda') {
    record(errors.misconfigured.status);
    return errors.misconfigured;
  }
  const event = d.event!(backend.payloadVersion);
  guarded?.apply(event);
  const functionUrl = spec.kind === 'http' ? spec.functionUrl : undefined;
  const reader = functionUrl?.invokeMode === 'RESPONSE_STREAM' ? 'function-url' : backend.responseStreaming ? 'rest' : undefined;
  if (reader) {
    const streamed = await serveStreamedResponse(options.functions, fn, event, res, {
      reader, answers: errors, isHead: req.method === 'HEAD',
      gatewayHeaders: spec.kind === 'rest' ? restHeaders(req) : spec.cors ? withCors(spec.cors, req, { status: 200, headers: [], body: Buffer.alloc(0) }, false).headers.flat() as string[] : [],
      // A function URL streams as long as the function runs; API Gateway within the integration timeout and its idle timeout.
      ...(reader === 'rest' ? { timeoutMs: backend.timeoutMs ?? timeoutMs, idleTimeoutMs: options.streamIdleTimeoutMs ?? 300_000 } : {}),
    });
    options.functions.report({ trigger: `${req.method} ${req.urlPath}`, function: fn.spec, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), result: streamed.result, status: streamed.status });
    record(streamed.status);
    return undefined;
  }
  let timer: NodeJS.Timeout | undefined;
  // A function URL waits as long as the function may run (up to 15 minutes); API Gateway answers on its own
  // when the function takes longer than the integration's TimeoutInMillis (or its own limit).
  const timedOut = functionUrl ? new Promise<'timeout'>(() => undefined) : new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), backend.timeoutMs ?? timeoutMs);
  });
  const invocation = options.functions.invoke(fn, event);
  const outcome = await Promise.race([invocation, timedOut]);
  clearTimeout(timer);
  // REST APIs send a base64 answer as bytes only to a client whose (first) Accept is one of the binary media types.
  const decodeBase64 = spec.kind === 'http' || matchesMediaTypes(req.headerPairs.find(([k]) => k.toLowerCase() === 'accept')?.[1], spec.binaryMediaTypes);
  const answer = outcome === 'timeout' ? errors.timedOut
    : backend.payloadVersion === '1.0' ? restResponse(outcome, errors, decodeBase64) : httpResponse(outcome, errors);
  const report = (result: InvocationResult) => options.functions.report({ trigger: `${req.method} ${req.urlPath}`, function: fn.spec, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), result, status: answer.status });
  if (outcome === 'timeout') void invocation.then(report);
  else report(outcome);
  record(answer.status);
  return answer;
}

function write(res: ServerResponse, answer: HttpAnswer, req: IncomingRequest, spec: ApiSpec): void {
  const flat: string[] = [];
  let hasType = false;
  for (const [k, v] of answer.headers) {
    if (k.toLowerCase() === 'content-length') continue;
    if (k.toLowerCase() === 'content-type') hasType = true;
    flat.push(k, v);
  }
  if (spec.kind === 'rest') {
    if (!hasType) flat.push('Content-Type', 'application/json');
    flat.push(...restHeaders(req));
  } else {
    flat.push('Apigw-Requestid', req.requestId.slice(0, 16));
  }
  flat.push('Content-Length', String(answer.body.length));
  res.writeHead(answer.status, flat);
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}

/** The request ids a REST API adds to every response. */
function restHeaders(req: IncomingRequest): string[] {
  return ['x-amzn-RequestId', req.requestId, 'x-amz-apigw-id', req.requestId.slice(0, 16), 'X-Amzn-Trace-Id', req.traceId];
}

/** The dispatch's guard, when the API has one and the route asks for authorization or an API key. */
function guardOf(guard: ApiGuard | undefined, request: GuardRequest): Pick<Dispatch, 'guard'> {
  return guard?.guards(request) ? { guard: () => guard.check(request) } : {};
}

function authOf(route: RestRouteSpec | HttpRouteSpec): Pick<GuardRequest, 'authorization' | 'authorizerId' | 'authorizationScopes' | 'apiKeyRequired'> {
  const { authorization, authorizerId, authorizationScopes } = route;
  return { authorization, authorizerId, authorizationScopes, apiKeyRequired: 'apiKeyRequired' in route && route.apiKeyRequired };
}

interface RestResource {
  readonly template: PathTemplate;
  readonly methods: Map<string, RestRouteSpec>;
}

class RestRouter {
  private readonly stages = new Map<string, { bucket: TokenBucket; methodBuckets: Map<string, TokenBucket>; variables?: Readonly<Record<string, string>> }>();
  private readonly resources: RestResource[] = [];
  private readonly guard?: ApiGuard;

  constructor(private readonly spec: RestApiSpec, private readonly options: ApiServerOptions) {
    if (options.auth) this.guard = new ApiGuard(spec, options.auth);
    for (const stage of spec.stages) {
      const methodBuckets = new Map<string, TokenBucket>();
      for (const [key, limits] of stage.methodThrottles) methodBuckets.set(key, new TokenBucket(limits));
      this.stages.set(stage.name, { bucket: new TokenBucket(stage.throttle), methodBuckets, ...(stage.variables ? { variables: stage.variables } : {}) });
    }
    const byPath = new Map<string, Map<string, RestRouteSpec>>();
    for (const route of spec.routes) {
      const methods = byPath.get(route.resourcePath) ?? new Map<string, RestRouteSpec>();
      methods.set(route.method, route);
      byPath.set(route.resourcePath, methods);
    }
    for (const [path, methods] of byPath) this.resources.push({ template: compilePath(path), methods });
  }

  dispatch(req: IncomingRequest): Dispatch {
    const segments = splitPath(req.urlPath);
    const stage = this.stages.get(segments[0] ?? '');
    if (!stage) return { answer: messageAnswer(403, 'Forbidden', [['x-amzn-ErrorType', 'ForbiddenException']]) };
    const rest = segments.slice(1);
    let best: { resource: RestResource; params: Record<string, string>; score: readonly number[] } | undefined;
    for (const resource of this.resources) {
      const m = matchPath(resource.template, rest);
      if (m && (!best || betterScore(m.score, best.score))) best = { resource, params: m.params, score: m.score };
    }
    const route = best?.resource.methods.get(req.method) ?? best?.resource.methods.get('ANY');
    if (!best || !route) return { answer: REST_ERRORS.noRoute };
    const stageName = segments[0];
    const path = '/' + req.urlPath.split('/').filter(Boolean).slice(1).join('/') + (req.urlPath.endsWith('/') && rest.length > 0 ? '/' : '');
    const event = () => restEvent(req, {
      apiId: this.spec.apiId, stage: stageName, resourcePath: route.resourcePath, resourceId: route.resourceId, path,
      pathParameters: best!.params, ...(stage.variables ? { stageVariables: stage.variables } : {}),
      accountId: this.options.account, region: this.options.region, binaryMediaTypes: this.spec.binaryMediaTypes,
    });
    return {
      routeKey: `${route.method} ${route.resourcePath}`,
      backend: route.backend,
      bucket: stage.methodBuckets.get(`${route.method} ${route.resourcePath}`) ?? stage.bucket,
      event,
      ...guardOf(this.guard, { req, stage: stageName, ...(stage.variables ? { stageVariables: stage.variables } : {}), path, methodKey: `${route.method} ${route.resourcePath}`, eventOf: event, ...authOf(route) }),
    };
  }
}

class HttpRouter {
  private readonly stages = new Map<string, { bucket: TokenBucket; routeBuckets: Map<string, TokenBucket>; variables?: Readonly<Record<string, string>> }>();
  private readonly routes: Array<{ method: string; template: PathTemplate; route: HttpRouteSpec }> = [];
  private readonly defaultRoute?: HttpRouteSpec;
  private readonly guard?: ApiGuard;

  constructor(private readonly spec: HttpApiSpec, private readonly options: ApiServerOptions) {
    if (options.auth) this.guard = new ApiGuard(spec, options.auth);
    for (const stage of spec.stages) {
      const routeBuckets = new Map<string, TokenBucket>();
      for (const [key, limits] of stage.routeThrottles) routeBuckets.set(key, new TokenBucket(limits));
      this.stages.set(stage.name, { bucket: new TokenBucket(stage.throttle), routeBuckets, ...(stage.variables ? { variables: stage.variables } : {}) });
    }
    for (const route of spec.routes) {
      if (route.routeKey === '$default') {
        this.defaultRoute = route;
        continue;
      }
      const [method, path] = route.routeKey.split(' ');
      this.routes.push({ method: method.toUpperCase(), template: compilePath(path ?? '/'), route });
    }
  }

  dispatch(req: IncomingRequest): Dispatch {
    const segments = splitPath(req.urlPath);
    let stageName = '$default';
    let rest = segments;
    if (segments.length > 0 && segments[0] !== '$default' && this.stages.has(segments[0])) {
      stageName = segments[0];
      rest = segments.slice(1);
    }
    const stage = this.stages.get(stageName);
    if (!stage) return { answer: HTTP_ERRORS.noRoute };
    const cors = this.spec.cors;
    if (cors && req.method === 'OPTIONS' && req.header('origin') && req.header('access-control-request-method')) {
      return { answer: preflight(cors, req) };
    }
    let best: { route: HttpRouteSpec; params: Record<string, string>; score: readonly number[]; exact: boolean } | undefined;
    for (const r of this.routes) {
      if (r.method !== req.method && r.method !== 'ANY') continue;
      const m = matchPath(r.template, rest);
      if (!m) continue;
      const exact = r.method === req.method;
      if (!best || betterScore(m.score, best.score) || (!betterScore(best.score, m.score) && exact && !best.exact)) {
        best = { route: r.route, params: m.params, score: m.score, exact };
      }
    }
    const route = best?.route ?? this.defaultRoute;
    if (!route) return { answer: HTTP_ERRORS.noRoute };
    const params = best?.params ?? {};
    const event = (version: '1.0' | '2.0') => version === '2.0'
      ? httpEvent(req, {
        apiId: this.spec.apiId, stage: stageName, routeKey: route.routeKey, pathParameters: params, ...(stage.variables ? { stageVariables: stage.variables } : {}),
        accountId: this.options.account, ...(this.spec.functionUrl ? { functionUrl: true } : {}),
      })
      : restEvent(req, {
        apiId: this.spec.apiId, stage: stageName, resourcePath: route.routeKey.split(' ')[1] ?? '$default', resourceId: route.routeId,
        path: '/' + rest.join('/'), pathParameters: params, ...(stage.variables ? { stageVariables: stage.variables } : {}),
        accountId: this.options.account, region: this.options.region, binaryMediaTypes: [], routeKey: route.routeKey,
      });
    return {
      routeKey: route.routeKey,
      backend: route.backend,
      bucket: stage.routeBuckets.get(route.routeKey) ?? stage.bucket,
      event,
      ...guardOf(this.guard, { req, stage: stageName, ...(stage.variables ? { stageVariables: stage.variables } : {}), path: '/' + rest.join('/'), methodKey: route.routeKey, eventOf: event, ...authOf(route) }),
    };
  }
}
