import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ResilientApiBaseProps } from './api-props';
import { ApiCorsOptions, ThrottleLimits } from './route-options';

/** Stage limits when the user sets none: they protect the functions behind the API, and are easy to raise. */
export const DEFAULT_STAGE_THROTTLE: ThrottleLimits = { rateLimit: 1000, burstLimit: 2000 };

export const CORS_DEFAULTS = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
  allowHeaders: ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Amz-Date', 'X-Amz-Security-Token'],
  maxAge: Duration.hours(1),
};

/** The user's CORS options with defaults filled in. */
export function resolveCors(cors: ApiCorsOptions): Required<ApiCorsOptions> {
  return {
    allowOrigins: cors.allowOrigins,
    allowMethods: cors.allowMethods ?? CORS_DEFAULTS.allowMethods,
    allowHeaders: cors.allowHeaders ?? CORS_DEFAULTS.allowHeaders,
    allowCredentials: cors.allowCredentials ?? false,
    maxAge: cors.maxAge ?? CORS_DEFAULTS.maxAge,
  };
}

/** The access log group: the user's, or one with the given retention (one month by default). */
export function accessLogGroupFor(scope: Construct, props: ResilientApiBaseProps): logs.ILogGroup {
  return props.accessLogGroup ?? new logs.LogGroup(scope, 'AccessLogs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
}
