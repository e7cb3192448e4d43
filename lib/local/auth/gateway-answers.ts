import { HttpAnswer, messageAnswer } from '../http/http-answer';

/*
 * API Gateway's own answers when a request fails authorization, as its default gateway responses word them.
 * REST: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 * HTTP APIs answer `{"message":"Unauthorized"}` / `{"message":"Forbidden"}`; JWT failures add `www-authenticate`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html).
 */

const restType = (type: string) => [['x-amzn-ErrorType', type]] as const;

export const REST_AUTH_ANSWERS = {
  /** UNAUTHORIZED: no identity, an authorizer that said "Unauthorized", an invalid Cognito token. */
  unauthorized: messageAnswer(401, 'Unauthorized', restType('UnauthorizedException')),
  /** ACCESS_DENIED: the authorizer's policy denies the method explicitly. */
  explicitDeny: { status: 403, headers: [['Content-Type', 'application/json'], ...restType('AccessDeniedException')], body: Buffer.from(JSON.stringify({ Message: 'User is not authorized to access this resource with an explicit deny' })) } as HttpAnswer,
  /** ACCESS_DENIED: no statement of the policy allows the method. */
  notAllowed: { status: 403, headers: [['Content-Type', 'application/json'], ...restType('AccessDeniedException')], body: Buffer.from(JSON.stringify({ Message: 'User is not authorized to access this resource' })) } as HttpAnswer,
  /** AUTHORIZER_CONFIGURATION_ERROR / AUTHORIZER_FAILURE: the function failed or answered something unusable. */
  authorizerFailed: { status: 500, headers: [['Content-Type', 'application/json'], ...restType('AuthorizerConfigurationException')], body: Buffer.from(JSON.stringify({ message: null })) } as HttpAnswer,
  /** MISSING_AUTHENTICATION_TOKEN: an AWS_IAM method called without a signature. */
  unsigned: messageAnswer(403, 'Missing Authentication Token', restType('MissingAuthenticationTokenException')),
  /** INVALID_SIGNATURE. */
  badSignature: (message: string) => messageAnswer(403, message, restType('InvalidSignatureException')),
  /** An access key the runner does not know. */
  unknownKey: messageAnswer(403, 'The security token included in the request is invalid.', restType('UnrecognizedClientException')),
  /** INVALID_API_KEY. */
  invalidApiKey: messageAnswer(403, 'Forbidden', restType('ForbiddenException')),
  /** QUOTA_EXCEEDED. */
  quotaExceeded: messageAnswer(429, 'Limit Exceeded', restType('LimitExceededException')),
  /** THROTTLED (usage plan). */
  throttled: messageAnswer(429, 'Too Many Requests', restType('TooManyRequestsException')),
};

/** Lambda function URLs with AuthType AWS_IAM (their messages say `Message`). */
const urlMessage = (message: string) => ({ status: 403, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'AccessDeniedException']], body: Buffer.from(JSON.stringify({ Message: message })) }) as HttpAnswer;
export const FUNCTION_URL_AUTH_ANSWERS = {
  unsigned: urlMessage('Forbidden'),
  badSignature: urlMessage,
  unknownKey: urlMessage('The security token included in the request is invalid.'),
};

export const HTTP_AUTH_ANSWERS = {
  unauthorized: messageAnswer(401, 'Unauthorized'),
  forbidden: messageAnswer(403, 'Forbidden'),
  authorizerFailed: messageAnswer(500, 'Internal Server Error'),
  unsigned: messageAnswer(403, 'Forbidden'),
  badSignature: (message: string) => messageAnswer(403, message),
  unknownKey: messageAnswer(403, 'The security token included in the request is invalid.'),
  /** A JWT that fails validation: 401 with the reason in `www-authenticate`. */
  invalidToken: (description: string) => messageAnswer(401, 'Unauthorized', [['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${description}"`]]),
  /** A valid JWT without any of the route's scopes. */
  insufficientScope: (scopes: readonly string[]) => messageAnswer(403, 'Forbidden', [['www-authenticate', `Bearer scope="${scopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${scopes.join(' ')}]"`]]),
};
