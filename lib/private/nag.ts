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
  Validations.of(scope).acknowledge({ id: ruleId, reason }, { id: `${pack}::${ruleId}`, reason });
}
