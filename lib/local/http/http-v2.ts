import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { InvocationResult } from '../execution';
import type { HttpAnswer } from './http-answer';
import { IncomingRequest, isHttpApiText, isTextContent, queryPairs, requestTime, withForwardedHeaders } from './incoming-request';

export interface HttpEventContext {
  readonly apiId: string;
  readonly stage: string;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  readonly accountId: string;
  /** A function URL's event rather than an HTTP API's: the two differ in which bodies arrive base64-encoded. */
  readonly functionUrl?: boolean;
}

/** The Lambda event (payload format 2.0) API Gateway HTTP APIs send. */
export function httpEvent(req: IncomingRequest, ctx: HttpEventContext): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of withForwardedHeaders(req, true)) {
    // Cookies travel in their own field; repeated headers are joined with commas.
    if (name === 'cookie') cookies.push(...value.split(';').map((c) => c.trim()).filter(Boolean));
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of queryPairs(req.rawQuery)) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const contentType = req.header('content-type');
  const binary = req.body.length > 0 && !(ctx.functionUrl ? isTextContent(contentType) : isHttpApiText(contentType));
  const domainName = req.header('host') ?? 'localhost';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: ctx.routeKey,
    rawPath: req.urlPath,
    rawQueryString: req.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0].split(':')[0],
      http: { method: req.method, path: req.urlPath, protocol: req.protocol, sourceIp: req.sourceIp, userAgent: req.header('user-agent') ?? '' },
      requestId: req.requestId,
      routeKey: ctx.routeKey,
      stage: ctx.stage,
      time: requestTime(req.receivedAt),
      timeEpoch: req.receivedAt,
    },
    ...(req.body.length > 0 ? { body: req.body.toString(binary ? 'base64' : 'utf8') } : {}),
    ...(Object.keys(ctx.pathParameters).length > 0 ? { pathParameters: ctx.pathParameters } : {}),
    isBase64Encoded: binary,
    ...(ctx.stageVariables && Object.keys(ctx.stageVariables).length > 0 ? { stageVariables: { ...ctx.stageVariables } } : {}),
  };
  return event;
}

/**
 * The HTTP response for a payload format 2.0 answer. A structured answer (an object with `statusCode`) is
 * used as given; any other valid JSON is the body of a 200 `application/json` response (a string as it is).
 */
export function httpResponse(result: InvocationResult, errors: { readonly failed: HttpAnswer; readonly throttled: HttpAnswer }): HttpAnswer {
  if (result.facts.throttled) return errors.throttled;
  if (result.error) return errors.failed;
  const payload = result.payload;
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload) && 'statusCode' in payload) {
    const structured = payload as APIGatewayProxyStructuredResultV2;
    const status = Number(structured.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return errors.failed;
    if (structured.body !== undefined && typeof structured.body !== 'string') return errors.failed;
    const headers: Array<[string, string]> = Object.entries(structured.headers ?? {}).map(([k, v]) => [k, String(v)]);
    for (const cookie of structured.cookies ?? []) headers.push(['set-cookie', cookie]);
    const text = structured.body ?? '';
    return { status, headers, body: structured.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text) };
  }
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
}
