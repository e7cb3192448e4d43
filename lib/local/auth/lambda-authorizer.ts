import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LocalFunctions } from '../functions/local-functions';
import type { HttpAnswer } from '../http/http-answer';
import type { IncomingRequest } from '../http/incoming-request';
import { queryPairs } from '../http/incoming-request';
import type { IdentitySource, LambdaAuthorizerSpec } from './auth-specs';
import { HTTP_AUTH_ANSWERS, REST_AUTH_ANSWERS } from './gateway-answers';
import { evaluatePolicy, isPolicyDocument } from './policy';

/*
 * Lambda authorizers run through the runner's function environments with the events API Gateway sends, and
 * their answers are cached per authorizer and identity for the authorizer's TTL (0 = not cached).
 * REST: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 *       https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * HTTP: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */

/** What a route's request looks like to an authorizer: the proxy events (built once) and where it goes. */
export interface AuthorizationRequest {
  readonly req: IncomingRequest;
  readonly stage: string;
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** `arn:aws:execute-api:region:account:api/stage/VERB/path`: the methodArn / routeArn. */
  readonly methodArn: string;
  /** The proxy event of the given payload format; the authorizer events are derived from it. */
  readonly eventOf: (version: '1.0' | '2.0') => unknown;
}

/** An authorizer's verdict: API Gateway's answer, or what it puts into `requestContext.authorizer`. */
export type AuthorizerVerdict = { readonly answer: HttpAnswer } | { readonly authorizer: Record<string, unknown>; readonly usageIdentifierKey?: string };

/** A cached answer of the function, evaluated again for each request (a policy may allow one method and not another). */
interface Cached {
  readonly expires: number;
  readonly payload: Record<string, unknown>;
}

export class LambdaAuthorizers {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly functions: LocalFunctions, private readonly now: () => number) {}

  async authorize(spec: LambdaAuthorizerSpec, r: AuthorizationRequest): Promise<AuthorizerVerdict> {
    const answers = spec.api === 'rest' ? REST_AUTH_ANSWERS : HTTP_AUTH_ANSWERS;
    const identity = spec.identitySources.map((s) => identityValue(s, r));
    // A missing identity source is refused before the function runs.
    if (identity.some((v) => v === undefined || v === '')) return { answer: answers.unauthorized };
    const token = identity[0];
    if (spec.type === 'TOKEN' && spec.validationExpression && !new RegExp(`^(?:${spec.validationExpression})$`).test(token!)) return { answer: answers.unauthorized };

    const key = `${spec.id}\n${identity.join('\n')}`;
    const hit = this.cache.get(key);
    let payload: Record<string, unknown>;
    if (hit && hit.expires > this.now()) {
      payload = hit.payload;
    } else {
      const fn = this.functions.resolve(spec.functionArn);
      if (!fn) return { answer: answers.authorizerFailed };
      const started = performance.now();
      const result = await this.functions.invoke(fn, authorizerEvent(spec, r, identity as string[]));
      const failed = result.error !== undefined || result.facts.throttled;
      const response = result.payload as Record<string, unknown> | null;
      const valid = !failed && response !== null && typeof response === 'object' && validResponse(spec, response);
      const unauthorized = spec.api === 'rest' && result.error?.errorMessage === 'Unauthorized';
      const status = valid ? undefined : unauthorized ? 401 : answers.authorizerFailed.status;
      this.functions.report({ trigger: `authorizer ${spec.name} (${r.req.method} ${r.req.urlPath})`, function: fn.spec, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), result, ...(status ? { status } : {}) });
      if (unauthorized) return { answer: answers.unauthorized };
      if (!valid) return { answer: answers.authorizerFailed };
      payload = { ...response, integrationLatency: Math.round(performance.now() - started) };
      if (spec.ttlSeconds > 0) this.cache.set(key, { expires: this.now() + spec.ttlSeconds * 1000, payload });
    }
    return verdict(spec, payload, r.methodArn);
  }
}

function verdict(spec: LambdaAuthorizerSpec, payload: Record<string, unknown>, methodArn: string): AuthorizerVerdict {
  const context = (payload.context ?? {}) as Record<string, unknown>;
  if (spec.simpleResponses) return payload.isAuthorized === true ? { authorizer: { lambda: { ...context } } } : { answer: HTTP_AUTH_ANSWERS.forbidden };
  const decision = evaluatePolicy(payload.policyDocument, methodArn);
  if (spec.api === 'http') return decision === 'allow' ? { authorizer: { lambda: { ...context } } } : { answer: HTTP_AUTH_ANSWERS.forbidden };
  if (decision !== 'allow') return { answer: decision === 'deny' ? REST_AUTH_ANSWERS.explicitDeny : REST_AUTH_ANSWERS.notAllowed };
  // REST passes the context to the integration with every value as a string.
  const values = Object.fromEntries(Object.entries(context).map(([k, v]) => [k, String(v)]));
  return {
    authorizer: { principalId: String(payload.principalId), integrationLatency: payload.integrationLatency, ...values },
    ...(typeof payload.usageIdentifierKey === 'string' ? { usageIdentifierKey: payload.usageIdentifierKey } : {}),
  };
}

/** What API Gateway accepts from the function; anything else is an authorizer configuration error (500). */
function validResponse(spec: LambdaAuthorizerSpec, response: Record<string, unknown>): boolean {
  const context = response.context;
  if (context !== undefined && context !== null && (typeof context !== 'object' || Array.isArray(context))) return false;
  if (spec.simpleResponses) return typeof response.isAuthorized === 'boolean';
  if (!isPolicyDocument(response.policyDocument)) return false;
  if (spec.api === 'rest') {
    // REST context values may only be strings, numbers or booleans.
    const primitive = Object.values((context ?? {}) as object).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    return response.principalId !== undefined && response.principalId !== null && primitive;
  }
  return true;
}

function identityValue(source: IdentitySource, r: AuthorizationRequest): string | undefined {
  switch (source.in) {
    case 'header':
      return r.req.header(source.name);
    case 'query':
      return queryPairs(r.req.rawQuery).find(([k]) => k === source.name)?.[1];
    case 'stageVariable':
      return r.stageVariables?.[source.name];
    case 'context': {
      let value: unknown = (r.eventOf('2.0') as APIGatewayProxyEventV2).requestContext;
      for (const part of source.name.split('.')) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
      return value === undefined || value === null ? undefined : String(value);
    }
  }
}

/** The authorizer's event, derived from the route's proxy event of the same format (no body: authorizers get none). */
function authorizerEvent(spec: LambdaAuthorizerSpec, r: AuthorizationRequest, identity: string[]): unknown {
  if (spec.type === 'TOKEN') return { type: 'TOKEN', authorizationToken: identity[0], methodArn: r.methodArn };
  if (spec.payloadVersion === '2.0') {
    const { body: _body, isBase64Encoded: _encoded, version: _version, ...rest } = r.eventOf('2.0') as APIGatewayProxyEventV2;
    return { version: '2.0', type: 'REQUEST', routeArn: r.methodArn, identitySource: identity, ...rest, cookies: rest.cookies ?? [] };
  }
  const { body: _body, isBase64Encoded: _encoded, ...rest } = r.eventOf('1.0') as APIGatewayProxyEvent & { version?: string };
  if (spec.api === 'rest') return { type: 'REQUEST', methodArn: r.methodArn, ...rest };
  return { version: '1.0', type: 'REQUEST', methodArn: r.methodArn, identitySource: identity.join(','), authorizationToken: identity.join(','), ...rest };
}
