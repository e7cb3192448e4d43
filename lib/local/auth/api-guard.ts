import type { LocalFunctions } from '../functions/local-functions';
import type { HttpAnswer } from '../http/http-answer';
import type { IncomingRequest } from '../http/incoming-request';
import type { ApiSpec } from '../model/specs';
import { ApiKeyGuard } from './api-keys';
import type { AuthorizerSpec } from './auth-specs';
import { FUNCTION_URL_AUTH_ANSWERS, HTTP_AUTH_ANSWERS, REST_AUTH_ANSWERS } from './gateway-answers';
import { LambdaAuthorizers } from './lambda-authorizer';
import type { LocalIssuer } from './local-issuer';
import { Credentials, verifySignature } from './sigv4';
import { checkToken } from './token-authorizers';

/** What every API's guard shares: the functions (Lambda authorizers), the local issuer, the known credentials. */
export interface AuthServices {
  readonly functions: LocalFunctions;
  /** The stand-in for the app's token issuers, when it has JWT or Cognito authorizers. */
  readonly issuer?: LocalIssuer;
  /** The one access key SigV4-signed requests may use. */
  readonly credentials: Credentials;
  readonly account: string;
  readonly region: string;
  /** The runner's clock (ms): cache TTLs, token expiry, signature dates, quota periods. */
  readonly now: () => number;
}

/** A routed request, as the API servers describe it to the guard. */
export interface GuardRequest {
  readonly req: IncomingRequest;
  readonly stage: string;
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** The request path after the stage prefix (`/items/1`). */
  readonly path: string;
  /** NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS, JWT. */
  readonly authorization: string;
  readonly authorizerId?: string;
  readonly authorizationScopes?: readonly string[];
  /** REST: the method needs an API key; `methodKey` is `METHOD /resource/path` for per-method plan throttles. */
  readonly apiKeyRequired?: boolean;
  readonly methodKey: string;
  readonly eventOf: (version: '1.0' | '2.0') => unknown;
}

/** Refused with API Gateway's answer, or let through with what goes into the integration's requestContext. */
export type GuardOutcome = { readonly answer: HttpAnswer } | { readonly apply: (event: unknown) => void };

/** The IAM user the runner's dummy credentials stand for, in `requestContext.identity` / `authorizer.iam`. */
export const LOCAL_CALLER_ID = 'AIDALOCALRUNNERUSER01';

/**
 * Checks one API's requests before the integration, in API Gateway's order: the route's authorization (IAM
 * signature, Lambda authorizer, JWT or Cognito token), then a REST method's API key and usage plan.
 */
export class ApiGuard {
  private readonly lambdas: LambdaAuthorizers;
  private readonly keys?: ApiKeyGuard;
  private readonly authorizers: ReadonlyMap<string, AuthorizerSpec>;

  constructor(private readonly spec: ApiSpec, private readonly services: AuthServices) {
    this.lambdas = new LambdaAuthorizers(services.functions, services.now);
    this.authorizers = new Map((spec.auth?.authorizers ?? []).map((a) => [a.id, a]));
    if (spec.kind === 'rest' && spec.auth) this.keys = new ApiKeyGuard(spec.auth);
  }

  /** Whether the route needs the guard at all (most routes of most apps do not). */
  guards(g: Pick<GuardRequest, 'authorization' | 'apiKeyRequired'>): boolean {
    return g.authorization !== 'NONE' || g.apiKeyRequired === true;
  }

  async check(g: GuardRequest): Promise<GuardOutcome> {
    const rest = this.spec.kind === 'rest';
    const functionUrl = this.spec.kind === 'http' && this.spec.functionUrl !== undefined;
    const answers = rest ? REST_AUTH_ANSWERS : functionUrl ? { ...HTTP_AUTH_ANSWERS, ...FUNCTION_URL_AUTH_ANSWERS } : HTTP_AUTH_ANSWERS;
    const { account, region } = this.services;
    const methodArn = `arn:aws:execute-api:${region}:${account}:${this.spec.apiId}/${g.stage}/${g.req.method}/${g.path.replace(/^\//, '')}`;
    let authorizer: Record<string, unknown> | undefined;
    let identity: Record<string, unknown> = {};
    let usageKey = g.req.header('x-api-key');

    if (g.authorization === 'AWS_IAM') {
      // Function URLs are signed for the Lambda service, APIs for execute-api.
      const signed = verifySignature(g.req, { service: functionUrl ? 'lambda' : 'execute-api', region, credentials: this.services.credentials, now: this.services.now() });
      if (signed.kind === 'unsigned') return { answer: answers.unsigned };
      if (signed.kind === 'unknown-key') return { answer: answers.unknownKey };
      if (signed.kind === 'invalid') return { answer: answers.badSignature(signed.message) };
      const userArn = `arn:aws:iam::${account}:user/local`;
      if (rest) identity = { accessKey: signed.accessKeyId, accountId: account, caller: LOCAL_CALLER_ID, user: LOCAL_CALLER_ID, userArn };
      else authorizer = { iam: { accessKey: signed.accessKeyId, accountId: account, callerId: LOCAL_CALLER_ID, cognitoIdentity: null, principalOrgId: null, userArn, userId: LOCAL_CALLER_ID } };
    } else if (g.authorization !== 'NONE') {
      const spec = g.authorizerId !== undefined ? this.authorizers.get(g.authorizerId) : undefined;
      if (!spec) return { answer: answers.authorizerFailed };
      const verdict = spec.kind === 'lambda'
        ? await this.lambdas.authorize(spec, { req: g.req, stage: g.stage, ...(g.stageVariables ? { stageVariables: g.stageVariables } : {}), methodArn, eventOf: g.eventOf })
        : checkToken(spec, g.req, g.authorizationScopes ?? [], this.services.issuer?.jwks().keys ?? [], this.services.now());
      if ('answer' in verdict) return verdict;
      authorizer = verdict.authorizer;
      if (this.spec.kind === 'rest' && this.spec.auth?.apiKeySource === 'AUTHORIZER') usageKey = 'usageIdentifierKey' in verdict ? (verdict.usageIdentifierKey as string | undefined) : undefined;
    }

    if (g.apiKeyRequired && this.keys) {
      const checked = this.keys.check({ stage: g.stage, method: g.methodKey, key: usageKey, now: this.services.now() });
      if (checked.answer) return { answer: checked.answer };
      identity = { ...identity, apiKey: checked.key!.value, apiKeyId: checked.key!.id };
    }
    return {
      apply: (event) => {
        const context = (event as { requestContext?: Record<string, unknown> }).requestContext;
        if (!context) return;
        if (authorizer) context.authorizer = authorizer;
        // Only payload 1.0 events have an identity block.
        if (context.identity && typeof context.identity === 'object') Object.assign(context.identity, identity);
      },
    };
  }
}
