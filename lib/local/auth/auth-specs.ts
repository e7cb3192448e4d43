import { createHash } from 'node:crypto';
import type { CfnResource } from '../assembly/cloud-assembly';
import type { TemplateResolver } from '../intrinsics/template-resolver';
import { displayName } from '../model/display-name';
import type { ThrottleLimits } from '../model/specs';

/*
 * What API Gateway checks before a route's integration runs, read from the templates: authorizers
 * (AWS::ApiGateway::Authorizer, AWS::ApiGatewayV2::Authorizer), API keys and usage plans.
 */

/** Where an identity source value comes from: `method.request.header.X` / `$request.header.X` is `{ in: 'header', name: 'X' }`. */
export interface IdentitySource {
  readonly in: 'header' | 'query' | 'stageVariable' | 'context';
  readonly name: string;
  /** As the template writes it, for messages. */
  readonly text: string;
}

interface AuthorizerBase {
  /** The authorizer's id (its Ref): what methods and routes name in AuthorizerId. */
  readonly id: string;
  /** The Name property (what the token command takes), else the display name. */
  readonly name: string;
  readonly displayName: string;
  readonly identitySources: readonly IdentitySource[];
}

/** A Lambda authorizer: REST TOKEN or REQUEST, or an HTTP API REQUEST authorizer. */
export interface LambdaAuthorizerSpec extends AuthorizerBase {
  readonly kind: 'lambda';
  readonly api: 'rest' | 'http';
  readonly type: 'TOKEN' | 'REQUEST';
  readonly functionArn: string;
  /** REST TOKEN authorizers: a token not matching it is refused (401) without invoking the function. */
  readonly validationExpression?: string;
  /** 0 = no caching. */
  readonly ttlSeconds: number;
  /** HTTP APIs: the event and answer format. REST authorizers use 1.0. */
  readonly payloadVersion: '1.0' | '2.0';
  /** HTTP APIs, payload 2.0: `{ isAuthorized, context }` answers instead of IAM policies. */
  readonly simpleResponses: boolean;
}

/** A token check API Gateway does itself: an HTTP API JWT authorizer or a REST Cognito user pools authorizer. */
export interface JwtAuthorizerSpec extends AuthorizerBase {
  readonly kind: 'jwt' | 'cognito';
  /** Accepted `iss` values: the JWT issuer, or each user pool's issuer URL. */
  readonly issuers: readonly string[];
  /** JWT authorizers: accepted `aud` (or `client_id`) values. Cognito (REST) accepts any client of the pool. */
  readonly audience: readonly string[];
}

export type AuthorizerSpec = LambdaAuthorizerSpec | JwtAuthorizerSpec;

export interface ApiKeySpec {
  readonly id: string;
  readonly displayName: string;
  readonly value: string;
  /** The template set no Value: the runner made one up (printed at start). */
  readonly generated: boolean;
  readonly enabled: boolean;
}

/** A usage plan's terms for one stage of an API, and the keys it lists. */
export interface UsagePlanSpec {
  readonly id: string;
  readonly displayName: string;
  readonly stage: string;
  readonly throttle?: ThrottleLimits;
  /** Per method, keyed `METHOD /resource/path`. */
  readonly methodThrottles: ReadonlyMap<string, ThrottleLimits>;
  readonly quota?: { readonly limit: number; readonly period: 'DAY' | 'WEEK' | 'MONTH' };
  readonly keyIds: readonly string[];
}

/** Everything an API's requests are checked against before the integration. */
export interface ApiAuthSpec {
  readonly authorizers: readonly AuthorizerSpec[];
  /** REST: where the API key is read from (the `x-api-key` header, or the authorizer's usageIdentifierKey). */
  readonly apiKeySource: 'HEADER' | 'AUTHORIZER';
  readonly apiKeys: readonly ApiKeySpec[];
  readonly usagePlans: readonly UsagePlanSpec[];
}

type Props = Record<string, unknown>;
const LAMBDA_URI = /^arn:aws[\w-]*:apigateway:[\w-]+:lambda:path\/[\d-]+\/functions\/(.+)\/invocations$/;

/** Reads the authorizers, API keys and usage plans of the API `apiId` (REST or HTTP). */
export function readApiAuth(resolver: TemplateResolver, resources: Array<[string, CfnResource]>, api: { id: string; kind: 'rest' | 'http'; props: Props }, notes: string[]): ApiAuthSpec {
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, resource: r, props: resolver.properties(id), ref: resolver.attributes(id, id).ref }));
  const stack = resolver.stackName;
  const authorizers: AuthorizerSpec[] = [];
  if (api.kind === 'rest') {
    for (const a of ofType('AWS::ApiGateway::Authorizer').filter((x) => x.props.RestApiId === api.id)) {
      const base = { id: a.ref, displayName: displayName(stack, a.id, a.resource), name: String(a.props.Name ?? displayName(stack, a.id, a.resource)) };
      const type = String(a.props.Type);
      const sources = String(a.props.IdentitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(restSource);
      if (type === 'COGNITO_USER_POOLS') {
        const pools = ((a.props.ProviderARNs as unknown[] | undefined) ?? []).map(String);
        authorizers.push({ ...base, kind: 'cognito', issuers: pools.map(userPoolIssuer), audience: [], identitySources: sources.slice(0, 1) });
        continue;
      }
      const expression = a.props.IdentityValidationExpression;
      if (typeof expression === 'string' && !validRegExp(expression)) {
        notes.push(`${base.displayName}: IdentityValidationExpression ${JSON.stringify(expression)} is not a valid regular expression; its routes answer 500`);
        continue;
      }
      const functionArn = LAMBDA_URI.exec(String(a.props.AuthorizerUri))?.[1];
      if (!functionArn || (type !== 'TOKEN' && type !== 'REQUEST')) {
        notes.push(`${base.displayName}: authorizer type ${type} with URI ${String(a.props.AuthorizerUri)} is not emulated; its routes answer 500`);
        continue;
      }
      authorizers.push({
        ...base, kind: 'lambda', api: 'rest', type, functionArn, identitySources: sources,
        ...(typeof a.props.IdentityValidationExpression === 'string' ? { validationExpression: a.props.IdentityValidationExpression } : {}),
        ttlSeconds: a.props.AuthorizerResultTtlInSeconds === undefined ? 300 : Number(a.props.AuthorizerResultTtlInSeconds),
        payloadVersion: '1.0', simpleResponses: false,
      });
    }
  } else {
    for (const a of ofType('AWS::ApiGatewayV2::Authorizer').filter((x) => x.props.ApiId === api.id)) {
      const base = { id: a.ref, displayName: displayName(stack, a.id, a.resource), name: String(a.props.Name ?? displayName(stack, a.id, a.resource)) };
      const sources = ((a.props.IdentitySource as unknown[] | undefined) ?? []).map((s) => httpSource(String(s)));
      if (a.props.AuthorizerType === 'JWT') {
        const jwt = (a.props.JwtConfiguration ?? {}) as Props;
        authorizers.push({
          ...base, kind: 'jwt', issuers: [String(jwt.Issuer)], audience: ((jwt.Audience as unknown[] | undefined) ?? []).map(String),
          identitySources: sources.length > 0 ? sources : [httpSource('$request.header.Authorization')],
        });
        continue;
      }
      const functionArn = LAMBDA_URI.exec(String(a.props.AuthorizerUri))?.[1];
      if (!functionArn) {
        notes.push(`${base.displayName}: authorizer URI ${String(a.props.AuthorizerUri)} is not a Lambda function; its routes answer 500`);
        continue;
      }
      const payloadVersion = a.props.AuthorizerPayloadFormatVersion === '1.0' ? '1.0' : '2.0';
      authorizers.push({
        ...base, kind: 'lambda', api: 'http', type: 'REQUEST', functionArn, identitySources: sources,
        ttlSeconds: Number(a.props.AuthorizerResultTtlInSeconds ?? 0), payloadVersion,
        simpleResponses: payloadVersion === '2.0' && a.props.EnableSimpleResponses === true,
      });
    }
  }
  if (api.kind === 'http') return { authorizers, apiKeySource: 'HEADER', apiKeys: [], usagePlans: [] };

  const planKeys = ofType('AWS::ApiGateway::UsagePlanKey');
  const usagePlans: UsagePlanSpec[] = [];
  for (const plan of ofType('AWS::ApiGateway::UsagePlan')) {
    const keyIds = planKeys.filter((k) => k.props.UsagePlanId === plan.ref).map((k) => String(k.props.KeyId));
    for (const stage of ((plan.props.ApiStages as Props[] | undefined) ?? []).filter((s) => s.ApiId === api.id)) {
      const methodThrottles = new Map<string, ThrottleLimits>();
      for (const [path, limits] of Object.entries((stage.Throttle as Record<string, Props> | undefined) ?? {})) {
        // Keyed `/resource/path/METHOD`.
        const cut = path.lastIndexOf('/');
        methodThrottles.set(`${path.slice(cut + 1).toUpperCase()} ${path.slice(0, cut) || '/'}`, throttleOf(limits));
      }
      const quota = plan.props.Quota as Props | undefined;
      usagePlans.push({
        id: plan.ref, displayName: displayName(stack, plan.id, plan.resource), stage: String(stage.Stage), keyIds, methodThrottles,
        ...(plan.props.Throttle ? { throttle: throttleOf(plan.props.Throttle as Props) } : {}),
        ...(quota?.Limit !== undefined ? { quota: { limit: Number(quota.Limit), period: quotaPeriod(quota.Period) } } : {}),
      });
    }
  }
  const usedKeys = new Set(usagePlans.flatMap((p) => p.keyIds));
  const apiKeys: ApiKeySpec[] = ofType('AWS::ApiGateway::ApiKey').filter((k) => usedKeys.has(k.ref)).map((k) => ({
    id: k.ref,
    displayName: displayName(stack, k.id, k.resource),
    value: typeof k.props.Value === 'string' ? k.props.Value : generatedKey(`${stack}/${k.id}`),
    generated: typeof k.props.Value !== 'string',
    // CloudFormation's default is false; aws-cdk-lib's ApiKey sets true.
    enabled: k.props.Enabled === true,
  }));
  return { authorizers, apiKeySource: api.props.ApiKeySourceType === 'AUTHORIZER' ? 'AUTHORIZER' : 'HEADER', apiKeys, usagePlans };
}

/** `method.request.header.Auth`, `method.request.querystring.q`, `stageVariables.v`, `context.x`. */
function restSource(text: string): IdentitySource {
  const m = /^method\.request\.(header|querystring)\.(.+)$/.exec(text);
  if (m) return { in: m[1] === 'header' ? 'header' : 'query', name: m[2], text };
  if (text.startsWith('stageVariables.')) return { in: 'stageVariable', name: text.slice('stageVariables.'.length), text };
  return { in: 'context', name: text.replace(/^context\./, ''), text };
}

/** `$request.header.Auth`, `$request.querystring.q`, `$stageVariables.v`, `$context.x`. */
function httpSource(text: string): IdentitySource {
  const m = /^\$request\.(header|querystring)\.(.+)$/.exec(text);
  if (m) return { in: m[1] === 'header' ? 'header' : 'query', name: m[2], text };
  if (text.startsWith('$stageVariables.')) return { in: 'stageVariable', name: text.slice('$stageVariables.'.length), text };
  return { in: 'context', name: text.replace(/^\$context\./, ''), text };
}

/** `arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc` → `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc`. */
export function userPoolIssuer(arn: string): string {
  const parts = arn.split(':');
  return `https://cognito-idp.${parts[3]}.amazonaws.com/${arn.split('/').pop()}`;
}

function validRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function throttleOf(p: Props): ThrottleLimits {
  return { rateLimit: Number(p.RateLimit ?? 10_000), burstLimit: Number(p.BurstLimit ?? 5_000) };
}

function quotaPeriod(value: unknown): 'DAY' | 'WEEK' | 'MONTH' {
  return value === 'WEEK' || value === 'MONTH' ? value : 'DAY';
}

/**
 * A key value for an ApiKey without `Value`: 40 letters and digits like the ones API Gateway generates, derived
 * from the stack and logical id so it stays the same across restarts (scripts and bookmarks keep working).
 */
function generatedKey(seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha512').update(`api-key/${seed}`).digest();
  let key = '';
  for (let i = 0; i < 40; i++) key += alphabet[digest[i] % alphabet.length];
  return key;
}
