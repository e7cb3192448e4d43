import type { CfnResource } from '../assembly/cloud-assembly';
import { readApiAuth } from '../auth/auth-specs';
import type { TemplateResolver } from '../intrinsics/template-resolver';
import { displayName } from './display-name';
import type { ApiSpec, CorsSpec, HttpRouteSpec, HttpStageSpec, RestRouteSpec, RestStageSpec, RouteBackend, SkippedResource, ThrottleLimits } from './specs';

/** API Gateway's account-level default when a stage sets no throttling. */
export const ACCOUNT_THROTTLE: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 };

type Props = Record<string, unknown>;
const LAMBDA_URI = /^arn:aws[\w-]*:apigateway:[\w-]+:lambda:path\/[\d-]+\/functions\/(.+)\/(invocations|response-streaming-invocations)$/;

/** Reads REST (v1) and HTTP (v2) APIs with their routes, integrations and stage throttling. */
export function readApis(resolver: TemplateResolver, resources: Array<[string, CfnResource]>, notes: string[], unsupported: SkippedResource[]): ApiSpec[] {
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, resource: r, props: resolver.properties(id) }));
  const apis: ApiSpec[] = [];
  const stackName = resolver.stackName;

  // REST APIs: the resource tree gives each method its path.
  const restResources = new Map<string, { parentId: string; pathPart: string }>();
  for (const r of ofType('AWS::ApiGateway::Resource')) {
    restResources.set(resolver.attributes(r.id, r.id).ref, { parentId: String(r.props.ParentId), pathPart: String(r.props.PathPart) });
  }
  const pathOf = (resourceId: string, root: string): string => {
    const parts: string[] = [];
    let id = resourceId;
    for (let guard = 0; id !== root && guard < 256; guard++) {
      const node = restResources.get(id);
      if (!node) break;
      parts.unshift(node.pathPart);
      id = node.parentId;
    }
    return '/' + parts.join('/');
  };
  const methods = ofType('AWS::ApiGateway::Method');
  const restStages = ofType('AWS::ApiGateway::Stage');
  const deployments = ofType('AWS::ApiGateway::Deployment');
  for (const api of ofType('AWS::ApiGateway::RestApi')) {
    const attrs = resolver.attributes(api.id, api.id);
    const apiId = attrs.ref;
    const root = attrs.attributes.RootResourceId;
    const name = displayName(stackName, api.id, api.resource);
    const routes: RestRouteSpec[] = [];
    for (const m of methods.filter((x) => x.props.RestApiId === apiId)) {
      const resourceId = String(m.props.ResourceId);
      const resourcePath = pathOf(resourceId, root);
      const method = String(m.props.HttpMethod).toUpperCase();
      const authorization = String(m.props.AuthorizationType ?? 'NONE');
      const apiKeyRequired = m.props.ApiKeyRequired === true;
      routes.push({ resourcePath, resourceId, method, authorization, apiKeyRequired, backend: restBackend(m.props.Integration as Props | undefined, (note) => notes.push(`${name}: ${method} ${resourcePath} ${note}`)), ...authorizerOf(m.props) });
    }
    const stages: RestStageSpec[] = restStages.filter((s) => s.props.RestApiId === apiId).map((s) => restStage(String(s.props.StageName), s.props));
    for (const d of deployments.filter((x) => x.props.RestApiId === apiId && typeof x.props.StageName === 'string')) {
      // Old-style deployment that creates its own stage.
      if (!stages.some((s) => s.name === d.props.StageName)) stages.push(restStage(String(d.props.StageName), (d.props.StageDescription ?? {}) as Props));
    }
    if (stages.length === 0) {
      notes.push(`${name}: the REST API has no stage, so nothing of it is served (API Gateway serves a REST API only through a deployed stage)`);
    }
    for (const route of routes) {
      if (route.backend.kind === 'unsupported') {
        unsupported.push({ stackName, logicalId: api.id, type: 'AWS::ApiGateway::Method', reason: `${route.method} ${route.resourcePath}: ${route.backend.reason}` });
      }
    }
    const binary = Array.isArray(api.props.BinaryMediaTypes) ? api.props.BinaryMediaTypes.map((t) => String(t).replace(/~1/g, '/')) : [];
    const auth = readApiAuth(resolver, resources, { id: apiId, kind: 'rest', props: api.props }, notes);
    apis.push({ kind: 'rest', logicalId: api.id, displayName: name, apiId, routes, stages, binaryMediaTypes: binary, auth });
  }

  // HTTP APIs: routes point at integrations by `integrations/<id>`.
  const integrations = new Map<string, Props>();
  for (const i of ofType('AWS::ApiGatewayV2::Integration')) integrations.set(resolver.attributes(i.id, i.id).ref, i.props);
  const routes = ofType('AWS::ApiGatewayV2::Route');
  const httpStages = ofType('AWS::ApiGatewayV2::Stage');
  for (const api of ofType('AWS::ApiGatewayV2::Api')) {
    const apiId = resolver.attributes(api.id, api.id).ref;
    const name = displayName(stackName, api.id, api.resource);
    if (api.props.ProtocolType !== 'HTTP') {
      unsupported.push({ stackName, logicalId: api.id, type: 'AWS::ApiGatewayV2::Api', reason: `protocol ${String(api.props.ProtocolType)} (only HTTP APIs are emulated)` });
      continue;
    }
    const httpRoutes: HttpRouteSpec[] = [];
    for (const r of routes.filter((x) => x.props.ApiId === apiId)) {
      const routeKey = String(r.props.RouteKey);
      const target = typeof r.props.Target === 'string' ? r.props.Target : undefined;
      const integration = target?.startsWith('integrations/') ? integrations.get(target.slice('integrations/'.length)) : undefined;
      const authorization = String(r.props.AuthorizationType ?? 'NONE');
      const backend = integration ? httpBackend(integration) : { kind: 'unsupported' as const, reason: `route target ${JSON.stringify(target)} is not an integration of the template` };
      if (backend.kind === 'unsupported') unsupported.push({ stackName, logicalId: r.id, type: 'AWS::ApiGatewayV2::Route', reason: `${routeKey}: ${backend.reason}` });
      httpRoutes.push({ routeKey, routeId: resolver.attributes(r.id, r.id).ref, backend, authorization, ...authorizerOf(r.props) });
    }
    const stages: HttpStageSpec[] = httpStages.filter((s) => s.props.ApiId === apiId).map((s) => httpStage(s.props));
    if (stages.length === 0) notes.push(`${name}: the HTTP API has no stage, so nothing of it is served`);
    const cors = api.props.CorsConfiguration as Props | undefined;
    const auth = readApiAuth(resolver, resources, { id: apiId, kind: 'http', props: api.props }, notes);
    apis.push({ kind: 'http', logicalId: api.id, displayName: name, apiId, routes: httpRoutes, stages, ...(cors ? { cors: corsSpec(cors) } : {}), auth });
  }
  // Function URLs: payload 2.0 like an HTTP API with one `$default` route, on a port of their own.
  for (const u of ofType('AWS::Lambda::Url')) {
    const target = String(u.props.TargetFunctionArn);
    const functionArn = u.props.Qualifier && target.split(':').length < 8 ? `${target}:${String(u.props.Qualifier)}` : target;
    const cors = u.props.Cors as Props | undefined;
    apis.push({
      kind: 'http', logicalId: u.id, displayName: displayName(stackName, u.id, u.resource), apiId: resolver.attributes(u.id, u.id).ref,
      routes: [{ routeKey: '$default', routeId: '$default', authorization: String(u.props.AuthType ?? 'NONE'), backend: { kind: 'lambda', functionArn, payloadVersion: '2.0' } }],
      stages: [{ name: '$default', throttle: ACCOUNT_THROTTLE, routeThrottles: new Map() }],
      ...(cors ? { cors: corsSpec(cors) } : {}),
      functionUrl: { invokeMode: u.props.InvokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED' },
    });
  }
  return apis;
}

/** A method's or route's AuthorizerId and AuthorizationScopes. */
function authorizerOf(props: Props): { authorizerId?: string; authorizationScopes?: string[] } {
  const scopes = Array.isArray(props.AuthorizationScopes) ? props.AuthorizationScopes.map(String) : [];
  return { ...(props.AuthorizerId !== undefined ? { authorizerId: String(props.AuthorizerId) } : {}), ...(scopes.length > 0 ? { authorizationScopes: scopes } : {}) };
}

function restBackend(integration: Props | undefined, note: (text: string) => void): RouteBackend {
  const type = String(integration?.Type ?? 'NONE');
  if (type === 'AWS_PROXY') {
    const match = LAMBDA_URI.exec(String(integration?.Uri));
    if (match) {
      // Streaming takes both halves: the STREAM transfer mode and the InvokeWithResponseStream path in the URI.
      const stream = integration?.ResponseTransferMode === 'STREAM';
      const streamingUri = match[2] === 'response-streaming-invocations';
      if (stream !== streamingUri) {
        note(stream
          ? 'has ResponseTransferMode STREAM but invokes Lambda through the buffered Invoke path (.../invocations, not .../response-streaming-invocations): served buffered'
          : 'invokes Lambda through .../response-streaming-invocations without ResponseTransferMode STREAM: served buffered');
      }
      return { kind: 'lambda', functionArn: match[1], payloadVersion: '1.0', ...timeoutOf(integration?.TimeoutInMillis), ...(stream && streamingUri ? { responseStreaming: true } : {}) };
    }
    return { kind: 'unsupported', reason: `AWS_PROXY integration to ${String(integration?.Uri)} (only Lambda is emulated)` };
  }
  if (type === 'MOCK') {
    const response = ((integration?.IntegrationResponses as Props[] | undefined) ?? [])[0] ?? {};
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((response.ResponseParameters as Props | undefined) ?? {})) {
      const header = /^method\.response\.header\.(.+)$/.exec(key);
      // Mock response parameters are quoted literals: "'*'".
      if (header && typeof value === 'string') headers[header[1]] = value.replace(/^'(.*)'$/, '$1');
    }
    return { kind: 'mock', statusCode: Number(response.StatusCode ?? 200), headers };
  }
  return { kind: 'unsupported', reason: `${type} integration (only Lambda proxy and mock integrations are emulated)` };
}

function httpBackend(integration: Props): RouteBackend {
  const type = String(integration.IntegrationType);
  if (type !== 'AWS_PROXY') return { kind: 'unsupported', reason: `${type} integration (only Lambda proxy integrations are emulated)` };
  const uri = String(integration.IntegrationUri);
  const functionArn = LAMBDA_URI.exec(uri)?.[1] ?? uri;
  if (!functionArn.startsWith('arn:aws:lambda:')) return { kind: 'unsupported', reason: `AWS_PROXY integration to ${uri} (only Lambda is emulated)` };
  return { kind: 'lambda', functionArn, payloadVersion: integration.PayloadFormatVersion === '1.0' ? '1.0' : '2.0', ...timeoutOf(integration.TimeoutInMillis) };
}

function timeoutOf(millis: unknown): { timeoutMs?: number } {
  return millis === undefined ? {} : { timeoutMs: Number(millis) };
}

function limits(rate: unknown, burst: unknown, fallback: ThrottleLimits): ThrottleLimits {
  return {
    rateLimit: rate === undefined ? fallback.rateLimit : Number(rate),
    burstLimit: burst === undefined ? fallback.burstLimit : Number(burst),
  };
}

function restStage(name: string, props: Props): RestStageSpec {
  const settings = (props.MethodSettings as Props[] | undefined) ?? [];
  const all = settings.find((s) => s.HttpMethod === '*' && s.ResourcePath === '/*');
  const throttle = all ? limits(all.ThrottlingRateLimit, all.ThrottlingBurstLimit, ACCOUNT_THROTTLE) : limits(props.ThrottlingRateLimit, props.ThrottlingBurstLimit, ACCOUNT_THROTTLE);
  const methodThrottles = new Map<string, ThrottleLimits>();
  for (const s of settings) {
    if (s === all || (s.ThrottlingRateLimit === undefined && s.ThrottlingBurstLimit === undefined)) continue;
    // MethodSettings escape '/' in the resource path as '~1'.
    const path = String(s.ResourcePath).replace(/~1/g, '/');
    methodThrottles.set(`${String(s.HttpMethod)} ${path}`, limits(s.ThrottlingRateLimit, s.ThrottlingBurstLimit, throttle));
  }
  return { name, throttle, methodThrottles, ...(props.Variables ? { variables: props.Variables as Record<string, string> } : {}) };
}

function httpStage(props: Props): HttpStageSpec {
  const defaults = (props.DefaultRouteSettings as Props | undefined) ?? {};
  const throttle = limits(defaults.ThrottlingRateLimit, defaults.ThrottlingBurstLimit, ACCOUNT_THROTTLE);
  const routeThrottles = new Map<string, ThrottleLimits>();
  for (const [key, s] of Object.entries((props.RouteSettings as Record<string, Props> | undefined) ?? {})) {
    if (s.ThrottlingRateLimit !== undefined || s.ThrottlingBurstLimit !== undefined) routeThrottles.set(key, limits(s.ThrottlingRateLimit, s.ThrottlingBurstLimit, throttle));
  }
  return { name: String(props.StageName), throttle, routeThrottles, ...(props.StageVariables ? { variables: props.StageVariables as Record<string, string> } : {}) };
}

function corsSpec(cors: Props): CorsSpec {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    allowOrigins: list(cors.AllowOrigins),
    allowMethods: list(cors.AllowMethods),
    allowHeaders: list(cors.AllowHeaders),
    exposeHeaders: list(cors.ExposeHeaders),
    allowCredentials: cors.AllowCredentials === true,
    ...(cors.MaxAge !== undefined ? { maxAge: Number(cors.MaxAge) } : {}),
  };
}
