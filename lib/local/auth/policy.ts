/*
 * The IAM policy a Lambda authorizer answers with, evaluated as API Gateway does for `execute-api:Invoke` on the
 * request's method ARN: an explicit Deny wins, then an Allow, else the request is refused.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */

export type PolicyDecision = 'allow' | 'deny' | 'implicit-deny';

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
}

/** Whether `policyDocument` is shaped like an IAM policy (a Statement object or array); malformed answers are configuration errors. */
export function isPolicyDocument(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const statement = (value as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : [statement];
  return list.length > 0 && list.every((s) => s !== null && typeof s === 'object' && ((s as Statement).Effect === 'Allow' || (s as Statement).Effect === 'Deny'));
}

/** Evaluates the policy for invoking `methodArn` (`arn:aws:execute-api:region:account:api/stage/VERB/path`). */
export function evaluatePolicy(policyDocument: unknown, methodArn: string): PolicyDecision {
  const statement = (policyDocument as { Statement?: unknown }).Statement;
  const statements = (Array.isArray(statement) ? statement : [statement]) as Statement[];
  let allowed = false;
  for (const s of statements) {
    if (!appliesTo(s, methodArn)) continue;
    if (s.Effect === 'Deny') return 'deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function appliesTo(s: Statement, methodArn: string): boolean {
  const actionMatches = s.Action !== undefined ? listOf(s.Action).some((a) => wildcard(a, 'execute-api:Invoke', true))
    : s.NotAction !== undefined ? !listOf(s.NotAction).some((a) => wildcard(a, 'execute-api:Invoke', true)) : false;
  if (!actionMatches) return false;
  if (s.Resource !== undefined) return listOf(s.Resource).some((r) => wildcard(r, methodArn, false));
  if (s.NotResource !== undefined) return !listOf(s.NotResource).some((r) => wildcard(r, methodArn, false));
  return false;
}

function listOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** IAM wildcards: `*` any run of characters (across `/` and `:`), `?` one character. Actions match case-insensitively. */
export function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
