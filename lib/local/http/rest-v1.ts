import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { InvocationResult } from '../execution';
import { IncomingRequest, isHttpApiText, matchesMediaTypes, queryPairs, requestTime, withForwardedHeaders } from './incoming-request';
import type { HttpAnswer } from './http-answer';

export interface RestEventContext {
  readonly apiId: string;
  readonly stage: string;
  readonly resourcePath: string;
  readonly resourceId: string;
  /** Path after the stage prefix. */
  readonly path: string;
  readonly pathParameters: Record<string, string>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  readonly accountId: string;
  readonly region: string;
  readonly binaryMediaTypes: readonly string[];
  /** For HTTP APIs that use payload format 1.0: the route key, and v1 events carry a few HTTP API fields. */
  readonly routeKey?: string;
}

/** The Lambda proxy event (payload format 1.0) API Gateway REST APIs send. */
export function restEvent(req: IncomingRequest, ctx: RestEventContext): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // HTTP APIs lower-case header names in both payload formats; REST APIs keep the client's spelling.
  for (const [name, value] of withForwardedHeaders(req, ctx.routeKey !== undefined)) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of queryPairs(req.rawQuery)) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  // REST APIs encode the media types the API declares binary; HTTP APIs everything but a few text types.
  const contentType = req.header('content-type');
  const binary = req.body.length > 0 && (ctx.routeKey !== undefined ? !isHttpApiText(contentType) : matchesMediaTypes(contentType, ctx.binaryMediaTypes));
  const domainName = req.header('host') ?? 'localhost';
  return {
    // HTTP APIs mark their 1.0 payloads with a version; REST APIs send none.
    ...(ctx.routeKey ? { version: '1.0' } : {}),
    resource: ctx.resourcePath,
    path: ctx.path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(ctx.pathParameters).length > 0 ? ctx.pathParameters : null,
    stageVariables: ctx.stageVariables && Object.keys(ctx.stageVariables).length > 0 ? { ...ctx.stageVariables } : null,
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      authorizer: undefined,
      domainName,
      domainPrefix: domainName.split('.')[0].split(':')[0],
      extendedRequestId: req.requestId.slice(0, 16),
      httpMethod: req.method,
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: req.sourceIp, user: null,
        userAgent: req.header('user-agent') ?? null, userArn: null,
      },
      path: ctx.stage === '$default' ? ctx.path : `/${ctx.stage}${ctx.path}`,
      protocol: req.protocol,
      requestId: req.requestId,
      requestTime: requestTime(req.receivedAt),
      requestTimeEpoch: req.receivedAt,
      resourceId: ctx.resourceId,
      resourcePath: ctx.resourcePath,
      stage: ctx.stage,
      ...(ctx.routeKey ? { routeKey: ctx.routeKey } : {}),
    },
    body: req.body.length === 0 ? null : req.body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary,
  };
}

/**
 * Turns a function's answer into the HTTP response API Gateway sends for payload format 1.0; a failed
 * invocation or a malformed answer becomes API Gateway's own error (`messages` differ between REST and HTTP APIs).
 * A base64 body (`isBase64Encoded`) is sent as bytes only when `decodeBase64` (a REST API does so when the
 * request's Accept matches its binaryMediaTypes, and otherwise sends the base64 text as it is).
 */
export function restResponse(result: InvocationResult, errors: { readonly failed: HttpAnswer; readonly throttled: HttpAnswer }, decodeBase64: boolean): HttpAnswer {
  if (result.facts.throttled) return errors.throttled;
  if (result.error) return errors.failed;
  const payload = result.payload as Partial<APIGatewayProxyResult> | null;
  if (!payload || typeof payload !== 'object' || !isStatus(payload.statusCode) || (payload.body !== undefined && payload.body !== null && typeof payload.body !== 'string')) {
    return errors.failed;
  }
  // A header named in both fields is sent with the values of multiValueHeaders only.
  const multi = Object.entries(payload.multiValueHeaders ?? {}).filter(([, list]) => Array.isArray(list));
  const inMulti = new Set(multi.map(([k]) => k.toLowerCase()));
  const headers: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(payload.headers ?? {})) if (!inMulti.has(k.toLowerCase())) headers.push([k, String(v)]);
  for (const [k, list] of multi) for (const v of list as unknown[]) headers.push([k, String(v)]);
  const text = payload.body ?? '';
  return { status: Number(payload.statusCode), headers, body: payload.isBase64Encoded && decodeBase64 ? Buffer.from(text, 'base64') : Buffer.from(text) };
}

function isStatus(value: unknown): boolean {
  const n = Number(value);
  return (typeof value === 'number' || (typeof value === 'string' && value !== '')) && Number.isInteger(n) && n >= 100 && n <= 599;
}
