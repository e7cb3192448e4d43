import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** Unacknowledged cdk-nag findings (AwsSolutions + Serverless packs) of a stack, as readable lines. */
export function nagFindings(stack: Stack): string[] {
  const app = stack.node.root;
  const findings: string[] = [];
  for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
    const report = pack.validateScope(stack);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push(`${violation.ruleName} at ${resource.resourceLogicalId ?? resource.constructPath}: ${violation.description.split('\n')[0]}`);
      }
    }
  }
  return findings;
}
