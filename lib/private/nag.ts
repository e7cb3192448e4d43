import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges a cdk-nag rule (e.g. `AwsSolutions-IAM5[Resource::*]`) on a construct and its children,
 * with the reason shown in reports.
 *
 * Recorded twice because the two ways of running cdk-nag 3 look up different ids: `validateScope()`
 * matches the bare rule id, while a pack registered with `Validations.of(app).addPlugins()` is filtered
 * by aws-cdk-lib under the pack's namespace (`Serverless::Serverless-…`).
 */
export function acknowledgeNagRule(scope: IConstruct, ruleId: string, reason: string): void {
  const pack = ruleId.slice(0, ruleId.indexOf('-'));
  const rules = [{ id: ruleId, reason }, { id: `${pack}::${ruleId}`, reason }];
  try {
    Validations.of(scope).acknowledge(...rules);
  } catch (e) {
    // aws-cdk-lib < 2.269 rejects '::' inside a finding suffix (`[Resource::*]`): record the same metadata directly.
    if ((e as Error)?.name !== 'InvalidValidationId') throw e;
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Object.fromEntries(rules.map((r) => [r.id, r.reason])));
  }
}
