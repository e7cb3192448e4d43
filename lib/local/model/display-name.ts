import type { CfnResource } from '../assembly/cloud-assembly';

/** A short, readable name for logs: the construct path without the stack and the L1 suffix. */
export function displayName(stackName: string, logicalId: string, resource: CfnResource | undefined): string {
  const path = resource?.Metadata?.['aws:cdk:path'];
  // Without path metadata (synthesized outside the CDK CLI), the logical id without its hash suffix.
  if (typeof path !== 'string') return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
  const parts = path.split('/');
  if (parts[0] === stackName) parts.shift();
  if (parts[parts.length - 1] === 'Resource') parts.pop();
  // ResilientFunction wraps its lambda.Function as `<id>/Function`: the id alone reads better.
  while (parts.length > 1 && parts[parts.length - 1] === 'Function') parts.pop();
  return parts.join('/') || logicalId;
}
