import { Template } from 'aws-cdk-lib/assertions';

/**
 * Every identity-policy statement of a template, from `AWS::IAM::Policy` resources and from roles' inline
 * policies (a ResilientFunction keeps its role's statements inline), optionally only those of resources
 * whose logical id starts with `prefix`.
 */
export function identityStatements(template: Template, prefix = ''): any[] {
  const resources = Object.entries<any>(template.toJSON().Resources).filter(([id]) => id.startsWith(prefix));
  return resources.flatMap(([, r]) => {
    if (r.Type === 'AWS::IAM::Policy') return r.Properties.PolicyDocument.Statement;
    if (r.Type === 'AWS::IAM::Role') return (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
    return [];
  });
}
