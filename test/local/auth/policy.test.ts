/*
 * Lambda authorizer policies evaluated for execute-api:Invoke on a method ARN, as IAM evaluates them: an explicit
 * Deny wins over any Allow, no matching Allow is a refusal, `*` and `?` wildcards, NotAction and NotResource.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
import { evaluatePolicy, isPolicyDocument } from '../../../lib/local/auth/policy';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/42';
const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const allow = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({ Effect: 'Allow', Action, Resource });
const deny = (Resource: unknown) => ({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource });

test('Allow on the exact ARN, on wildcards across / and :, and with ? for one character', () => {
  for (const resource of [ARN, 'arn:aws:execute-api:us-east-1:123456789012:abc123/*', 'arn:aws:execute-api:*:*:abc123/prod/GET/items/*', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/4?', '*']) {
    expect([resource, evaluatePolicy(policy(allow(resource)), ARN)]).toEqual([resource, 'allow']);
  }
  expect(evaluatePolicy(policy(allow('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/*')), ARN)).toBe('implicit-deny');
  expect(evaluatePolicy(policy(allow('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/4?/x')), ARN)).toBe('implicit-deny');
});

test('an explicit Deny wins over an Allow, whatever the order; a single Statement object counts like a list', () => {
  expect(evaluatePolicy(policy(allow('*'), deny(ARN)), ARN)).toBe('deny');
  expect(evaluatePolicy(policy(deny('*/GET/*'), allow('*')), ARN)).toBe('deny');
  expect(evaluatePolicy({ Statement: allow([ARN.replace('42', '43'), ARN]) }, ARN)).toBe('allow');
});

test('the action must cover execute-api:Invoke (case-insensitive, wildcards); NotAction and NotResource invert', () => {
  expect(evaluatePolicy(policy(allow('*', 'execute-api:*')), ARN)).toBe('allow');
  expect(evaluatePolicy(policy(allow('*', 'EXECUTE-API:invoke')), ARN)).toBe('allow');
  expect(evaluatePolicy(policy(allow('*', ['s3:GetObject'])), ARN)).toBe('implicit-deny');
  expect(evaluatePolicy(policy({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }), ARN)).toBe('allow');
  expect(evaluatePolicy(policy(allow('*'), { Effect: 'Deny', Action: 'execute-api:Invoke', NotResource: '*/GET/items/*' }), ARN)).toBe('allow');
  expect(evaluatePolicy(policy(allow('*'), { Effect: 'Deny', Action: 'execute-api:Invoke', NotResource: '*/POST/*' }), ARN)).toBe('deny');
});

test('only documents with Allow/Deny statements are policies (anything else is an authorizer configuration error)', () => {
  expect(isPolicyDocument(policy(allow('*')))).toBe(true);
  for (const bad of [undefined, null, 'Allow', {}, { Statement: [] }, { Statement: [{ Effect: 'Maybe' }] }, { Statement: [null] }]) expect(isPolicyDocument(bad)).toBe(false);
});
