import type { CorsSpec } from '../model/specs';
import type { HttpAnswer } from './http-answer';
import type { IncomingRequest } from './incoming-request';

/**
 * APIs with CORS add the allow-origin (and credentials, expose) headers to every answer for an allowed origin.
 * An HTTP API ignores the CORS headers of its integrations (`replaceBackend`): the API's configuration wins.
 */
export function withCors(cors: CorsSpec, req: IncomingRequest, answer: HttpAnswer, replaceBackend: boolean): HttpAnswer {
  const origin = req.header('origin');
  // A preflight is the API's own answer, complete as it is.
  if (req.method === 'OPTIONS' && origin && req.header('access-control-request-method')) return answer;
  const own = replaceBackend ? answer.headers.filter(([k]) => !k.toLowerCase().startsWith('access-control-')) : answer.headers;
  if (!replaceBackend && (!origin || answer.headers.some(([k]) => k.toLowerCase() === 'access-control-allow-origin'))) return answer;
  const allowed = !origin ? undefined : cors.allowOrigins.includes('*') ? '*' : cors.allowOrigins.includes(origin) ? origin : undefined;
  if (!allowed) return { ...answer, headers: own };
  const headers: Array<readonly [string, string]> = [...own, ['access-control-allow-origin', allowed]];
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  if (cors.exposeHeaders.length > 0) headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  return { ...answer, headers };
}

export function preflight(cors: CorsSpec, req: IncomingRequest): HttpAnswer {
  const origin = req.header('origin')!;
  const allowed = cors.allowOrigins.includes('*') ? '*' : cors.allowOrigins.includes(origin) ? origin : undefined;
  if (!allowed) return { status: 204, headers: [], body: Buffer.alloc(0) };
  const headers: Array<[string, string]> = [['access-control-allow-origin', allowed]];
  if (cors.allowMethods.length > 0) headers.push(['access-control-allow-methods', cors.allowMethods.join(',')]);
  if (cors.allowHeaders.length > 0) headers.push(['access-control-allow-headers', cors.allowHeaders.join(',')]);
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
  return { status: 204, headers, body: Buffer.alloc(0) };
}

