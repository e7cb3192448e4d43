/** Resource types the runner emulates. */
export const EMULATED_TYPES: ReadonlySet<string> = new Set([
  'AWS::Lambda::Function',
  'AWS::Lambda::Alias',
  'AWS::Lambda::Version',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Url',
  'AWS::Lambda::LayerVersion',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Events::Rule',
  'AWS::Events::EventBus',
  'AWS::Scheduler::Schedule',
  'AWS::Scheduler::ScheduleGroup',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::Lambda::EventSourceMapping',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
]);

/**
 * Resource types with no behaviour a local run could observe (permissions, logs, alarms, encryption keys,
 * autoscaling), with the reason shown to the user. A prefix ending in `::` covers a whole service.
 */
const INERT: ReadonlyArray<[string, string]> = [
  ['AWS::IAM::', 'permissions are not enforced locally'],
  ['AWS::Lambda::Permission', 'permissions are not enforced locally'],
  ['AWS::Lambda::LayerVersionPermission', 'permissions are not enforced locally'],
  ['AWS::SQS::QueuePolicy', 'permissions are not enforced locally'],
  ['AWS::SNS::TopicPolicy', 'permissions are not enforced locally'],
  ['AWS::Logs::', 'logs go to the console'],
  ['AWS::CloudWatch::', 'no metrics or alarms locally'],
  ['AWS::KMS::', 'no encryption at rest locally'],
  ['AWS::ApplicationAutoScaling::', 'provisioned concurrency stays at the alias value'],
  ['AWS::CDK::Metadata', 'CDK bookkeeping'],
  ['AWS::ApiGateway::Account', 'account-wide API Gateway settings'],
  ['AWS::ApiGateway::RequestValidator', 'request validation is not enforced locally'],
  ['AWS::ApiGateway::Model', 'request validation is not enforced locally'],
  ['AWS::ApiGateway::GatewayResponse', 'custom gateway responses are not applied locally'],
  ['AWS::ApiGatewayV2::Deployment', 'routes are served as the template defines them'],
  ['AWS::Events::Archive', 'events are not archived locally'],
  ['AWS::XRay::', 'no tracing locally'],
  ['Custom::LogRetention', 'logs go to the console'],
  ['AWS::WAFv2::', 'web ACLs are not applied locally'],
  ['AWS::Cognito::', "no user pool locally: the runner's own key signs the pool's tokens (the token command)"],
  ['AWS::ApiGateway::DomainName', 'APIs are served on localhost ports'],
  ['AWS::ApiGateway::BasePathMapping', 'APIs are served on localhost ports'],
  ['AWS::ApiGatewayV2::DomainName', 'APIs are served on localhost ports'],
  ['AWS::ApiGatewayV2::ApiMapping', 'APIs are served on localhost ports'],
  ['AWS::Route53::', 'APIs are served on localhost ports'],
  ['AWS::CertificateManager::', 'APIs are served on localhost ports'],
];

/** How the runner treats a resource type. */
export function supportOf(type: string): { kind: 'emulated' } | { kind: 'inert'; reason: string } | { kind: 'unsupported' } {
  if (EMULATED_TYPES.has(type)) return { kind: 'emulated' };
  const inert = INERT.find(([prefix]) => (prefix.endsWith('::') ? type.startsWith(prefix) : type === prefix));
  return inert ? { kind: 'inert', reason: inert[1] } : { kind: 'unsupported' };
}
