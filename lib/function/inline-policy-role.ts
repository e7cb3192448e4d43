import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** IAM's limit on the inline policies of one role (the aws-cdk-lib default policy counts against it too). */
const MAX_INLINE_POLICY_CHARS = 10240;

/**
 * An execution role whose statements (ours, NodejsFunction's and every later grant) live in one inline
 * policy of the role itself instead of a separate `AWS::IAM::Policy` resource: the same permissions, one
 * CloudFormation resource less per function, which is what lets 50 functions share a stack.
 */
export class InlinePolicyRole extends iam.Role {
  private readonly permissions: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const permissions = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, Permissions: permissions } });
    this.permissions = permissions;
    this.node.addValidation({ validate: () => this.checkSize() });
  }

  /** Adds the statement to the role's own inline policy; anything that must wait for it depends on the role. */
  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.permissions.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }

  // aws-cdk-lib splits an oversized default policy into managed policies; an inline one cannot be split.
  private checkSize(): string[] {
    const size = JSON.stringify(Stack.of(this).resolve(this.permissions.toJSON())).length;
    return size > MAX_INLINE_POLICY_CHARS
      ? [`${this.node.path}: the role's permissions are ${size} characters, over IAM's ${MAX_INLINE_POLICY_CHARS} for a role's inline policies; pass your own role (ResilientFunction prop role) and attach managed policies to it`]
      : [];
  }
}
