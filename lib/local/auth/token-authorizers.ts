import type { JsonWebKey } from 'node:crypto';
import type { HttpAnswer } from '../http/http-answer';
import { messageAnswer } from '../http/http-answer';
import type { IncomingRequest } from '../http/incoming-request';
import type { JwtAuthorizerSpec } from './auth-specs';
import { HTTP_AUTH_ANSWERS, REST_AUTH_ANSWERS } from './gateway-answers';
import { bearerToken, JwtClaims, scopesOf, verifyJwt } from './jwt';

/*
 * The token checks API Gateway makes itself. HTTP API JWT authorizers: signature, iss, aud/client_id, exp, nbf,
 * iat, then the route's scopes (403 when none matches); claims in `requestContext.authorizer.jwt`.
 * REST Cognito user pools authorizers: an id token when the method lists no scopes, else an access token with
 * one of them; claims in `requestContext.authorizer.claims`.
 */

export type TokenVerdict = { readonly answer: HttpAnswer } | { readonly authorizer: Record<string, unknown> };

export function checkToken(spec: JwtAuthorizerSpec, req: IncomingRequest, routeScopes: readonly string[], keys: readonly JsonWebKey[], nowMs: number): TokenVerdict {
  const source = spec.identitySources[0];
  const raw = source ? req.header(source.name) : undefined;
  const rest = spec.kind === 'cognito';
  if (!raw) return { answer: rest ? REST_AUTH_ANSWERS.unauthorized : HTTP_AUTH_ANSWERS.unauthorized };
  // HTTP APIs take the token alone or after `Bearer `; a REST Cognito authorizer takes the header's value as it is.
  const token = rest ? raw.trim() : bearerToken(raw);
  const result = verifyJwt(token, { keys, issuers: spec.issuers, audience: spec.audience, now: Math.floor(nowMs / 1000) });
  if ('error' in result) {
    if (!rest) return { answer: HTTP_AUTH_ANSWERS.invalidToken(result.error) };
    return { answer: result.error === 'the token has expired' ? messageAnswer(401, 'The incoming token has expired', [['x-amzn-ErrorType', 'UnauthorizedException']]) : REST_AUTH_ANSWERS.unauthorized };
  }
  const claims = result.claims;
  const scopes = scopesOf(claims);
  if (rest) {
    const ok = routeScopes.length > 0 ? claims.token_use === 'access' && routeScopes.some((s) => scopes.includes(s)) : claims.token_use === 'id';
    if (!ok) return { answer: REST_AUTH_ANSWERS.unauthorized };
    return { authorizer: { claims: restClaims(claims) } };
  }
  if (routeScopes.length > 0 && !routeScopes.some((s) => scopes.includes(s))) return { answer: HTTP_AUTH_ANSWERS.insufficientScope(routeScopes) };
  return { authorizer: { jwt: { claims: httpClaims(claims), scopes: scopes.length > 0 ? scopes : null } } };
}

/** HTTP APIs pass every claim as a string; a list as `[a b]`. */
function httpClaims(claims: JwtClaims): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.map(String).join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]));
}

/** REST passes claims as strings, the time claims as dates (`Mon Dec 07 01:53:16 UTC 2026`), lists comma-joined. */
function restClaims(claims: JwtClaims): Record<string, string> {
  const times = new Set(['exp', 'iat', 'auth_time', 'nbf']);
  return Object.fromEntries(Object.entries(claims).map(([k, v]) => {
    if (times.has(k) && typeof v === 'number') return [k, javaDate(v * 1000)];
    return [k, Array.isArray(v) ? v.map(String).join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)];
  }));
}

function javaDate(ms: number): string {
  const d = new Date(ms);
  const [weekday, month] = [['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()], ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${weekday} ${month} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
