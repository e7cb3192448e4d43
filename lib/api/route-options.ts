import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { RouteAuth } from './route-auth';

/** Request rate limits of a stage or of one route. */
export interface ThrottleLimits {
  /** Steady-state requests per second (>= 0). */
  readonly rateLimit: number;

  /** Requests that may arrive at once above the steady rate (a whole number >= 0, and >= 1 when rateLimit > 0). */
  readonly burstLimit: number;
}

/** Options of one route (`addRoute(method, path, fn, options)`). */
export interface RouteOptions {
  /**
   * How the route authorizes callers.
   * @default - the API's `defaultAuth`; a synth-time error when neither is set
   */
  readonly auth?: RouteAuth;

  /**
   * Rate limits for this route only, overriding the stage's.
   * @default - the stage's limits
   */
  readonly throttle?: ThrottleLimits;

  /**
   * Callers must send an API key (`x-api-key`) of one of the API's usage plans. ResilientRestApi only;
   * combinable with any `auth`.
   * @default false
   */
  readonly apiKeyRequired?: boolean;

  /**
   * Request parameters API Gateway checks before invoking the function, e.g.
   * `{ 'method.request.querystring.id': true }` (true = required). ResilientRestApi only.
   * @default - none
   */
  readonly requestParameters?: { [parameter: string]: boolean };

  /**
   * JSON schema the request body must match (content type `application/json`). ResilientRestApi only.
   * @default - the body is not checked
   */
  readonly requestBodySchema?: apigw.JsonSchema;

  /**
   * Streams the function's response to the client as it is written (API Gateway's `STREAM` response transfer
   * mode over Lambda's InvokeWithResponseStream). ResilientRestApi only: HTTP APIs cannot stream; for them use a
   * function URL, `fn.addFunctionUrl({ invokeMode: lambda.InvokeMode.RESPONSE_STREAM })`.
   *
   * The handler must be a streaming handler, `awslambda.streamifyResponse(async (event, responseStream) => …)`,
   * that starts its response with `awslambda.HttpResponseStream.from(responseStream, { statusCode, headers })`
   * (API Gateway reads that metadata from the first 16 KB and answers 502 without it). In exchange the response
   * may exceed 10 MB (past 10 MB at 2 MB/s) and run longer than 29 s: the integration timeout becomes the
   * function's timeout when that is longer. Streams silent for 5 minutes are cut off.
   * @default false
   */
  readonly responseStreaming?: boolean;
}

/** Cross-origin resource sharing (browser callers on other origins). */
export interface ApiCorsOptions {
  /** Origins allowed to call, e.g. `['https://app.example.com']`, or `['*']` for any (not with credentials). */
  readonly allowOrigins: string[];

  /**
   * Methods allowed cross-origin.
   * @default ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']
   */
  readonly allowMethods?: string[];

  /**
   * Request headers allowed cross-origin.
   * @default ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Amz-Date', 'X-Amz-Security-Token']
   */
  readonly allowHeaders?: string[];

  /**
   * Whether browsers may send cookies and credentials.
   * @default false
   */
  readonly allowCredentials?: boolean;

  /**
   * How long browsers cache a preflight answer.
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}
