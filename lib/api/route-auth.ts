import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { ResilientFunction } from '../function/resilient-function';

/** The kinds of authorization a route can use. */
export enum RouteAuthKind {
  /** Public: no authorization (an explicit choice, `RouteAuth.none()`). */
  NONE = 'NONE',
  /** AWS Signature Version 4 signed requests, checked against the caller's IAM policy. */
  IAM = 'IAM',
  /** A Cognito user pool token. */
  COGNITO = 'COGNITO',
  /** A JSON Web Token from any OIDC issuer (HTTP APIs only). */
  JWT = 'JWT',
  /** A Lambda authorizer function. */
  LAMBDA = 'LAMBDA',
}

/** Options of `RouteAuth.cognito()`. */
export interface CognitoRouteAuthOptions {
  /** The user pools whose tokens are accepted (a ResilientHttpApi accepts exactly one). */
  readonly userPools: cognito.IUserPool[];

  /**
   * App clients whose tokens are accepted. Required on a ResilientHttpApi, where they become the JWT
   * authorizer's audience. Unused on a ResilientRestApi (the REST authorizer accepts any client of the pool).
   * @default - none
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];

  /**
   * OAuth scopes the token must carry (any one of them).
   * @default - no scope check
   */
  readonly scopes?: string[];
}

/** Options of `RouteAuth.jwt()`. */
export interface JwtRouteAuthOptions {
  /** The token issuer (`iss`), e.g. `https://example.auth0.com/`. */
  readonly issuer: string;

  /** Accepted audiences (`aud` or `client_id`), at least one. */
  readonly audience: string[];

  /**
   * OAuth scopes the token must carry (any one of them).
   * @default - no scope check
   */
  readonly scopes?: string[];
}

/** Options of `RouteAuth.lambdaAuthorizer()`. */
export interface LambdaRouteAuthOptions {
  /** The authorizer function, invoked through its `live` alias. */
  readonly handler: ResilientFunction;

  /**
   * The request header that carries the caller's credential.
   * @default 'Authorization'
   */
  readonly identityHeader?: string;

  /**
   * How long API Gateway caches a decision per identity (0 to 3600 seconds).
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;

  /**
   * The authorizer answers `{ isAuthorized: boolean }` instead of an IAM policy. HTTP APIs only.
   * @default false - an IAM policy, the format both API kinds accept
   */
  readonly simpleResponses?: boolean;
}

/**
 * How a route authorizes callers. Every route needs one: a public route says so with `RouteAuth.none()`.
 *
 * | factory | ResilientRestApi (REST, v1) | ResilientHttpApi (HTTP, v2) |
 * |---|---|---|
 * | `none()` | yes | yes |
 * | `iam()` | yes (AWS_IAM) | yes (AWS_IAM) |
 * | `cognito()` | yes (Cognito user pools authorizer) | yes (JWT authorizer for the pool; needs `userPoolClients`) |
 * | `jwt()` | no: synth-time error | yes (JWT authorizer) |
 * | `lambdaAuthorizer()` | yes (REQUEST authorizer) | yes (REQUEST authorizer; `simpleResponses` optional) |
 *
 * API keys with usage plans are a separate route option (`apiKeyRequired`), REST only, combinable with any auth.
 */
export class RouteAuth {
  /** A public route. The choice is visible in code and recorded as a cdk-nag acknowledgement. */
  public static none(): RouteAuth {
    return new RouteAuth(RouteAuthKind.NONE);
  }

  /** Callers sign requests with SigV4 (grant them `execute-api:Invoke` with `api.grantInvoke()`). */
  public static iam(): RouteAuth {
    return new RouteAuth(RouteAuthKind.IAM);
  }

  /** Callers present a token of a Cognito user pool. */
  public static cognito(options: CognitoRouteAuthOptions): RouteAuth {
    return new RouteAuth(RouteAuthKind.COGNITO, { cognito: options, scopes: options.scopes });
  }

  /** Callers present a JWT of any OIDC issuer (ResilientHttpApi only). */
  public static jwt(options: JwtRouteAuthOptions): RouteAuth {
    return new RouteAuth(RouteAuthKind.JWT, { jwt: options, scopes: options.scopes });
  }

  /** A Lambda function decides, invoked through its `live` alias. */
  public static lambdaAuthorizer(options: LambdaRouteAuthOptions): RouteAuth {
    return new RouteAuth(RouteAuthKind.LAMBDA, { lambda: options });
  }

  /** The kind of authorization. */
  public readonly kind: RouteAuthKind;

  /** OAuth scopes checked by Cognito and JWT authorizers. */
  public readonly scopes?: string[];

  /** @internal */
  public readonly _cognito?: CognitoRouteAuthOptions;
  /** @internal */
  public readonly _jwt?: JwtRouteAuthOptions;
  /** @internal */
  public readonly _lambda?: LambdaRouteAuthOptions;

  private constructor(kind: RouteAuthKind, options: { cognito?: CognitoRouteAuthOptions; jwt?: JwtRouteAuthOptions; lambda?: LambdaRouteAuthOptions; scopes?: string[] } = {}) {
    this.kind = kind;
    this.scopes = options.scopes;
    this._cognito = options.cognito;
    this._jwt = options.jwt;
    this._lambda = options.lambda;
  }
}
