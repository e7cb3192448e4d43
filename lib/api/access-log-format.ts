import * as apigw from 'aws-cdk-lib/aws-apigateway';

// Every value quoted: API Gateway writes "-" for a missing value, which would break unquoted JSON numbers.
const COMMON = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
};

/** JSON access log line of a REST API stage. */
export function restAccessLogFormat(): apigw.AccessLogFormat {
  return apigw.AccessLogFormat.custom(JSON.stringify({
    ...COMMON,
    extendedRequestId: '$context.extendedRequestId',
    resourcePath: '$context.resourcePath',
    stage: '$context.stage',
    caller: '$context.identity.caller',
    apiKeyId: '$context.identity.apiKeyId',
    integrationStatus: '$context.integration.status',
    integrationLatency: '$context.integration.latency',
    integrationError: '$context.integration.error',
    xrayTraceId: '$context.xrayTraceId',
  }));
}

/** JSON access log line of an HTTP API stage. */
export function httpAccessLogFormat(): apigw.AccessLogFormat {
  return apigw.AccessLogFormat.custom(JSON.stringify({
    ...COMMON,
    routeKey: '$context.routeKey',
    stage: '$context.stage',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }));
}
