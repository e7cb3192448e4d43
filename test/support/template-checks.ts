import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { cfnLint } from './cfn-lint';

/** The aws-cdk-lib this test process loaded (under `npm run test:floor`, the floor copy). */
export const AWS_CDK_LIB_VERSION: string = require('aws-cdk-lib/package.json').version;

/** The first aws-cdk-lib with the built-in CloudFormation validator. */
export const BUILTIN_VALIDATOR_SINCE = '2.262.0';

/**
 * Whether the running aws-cdk-lib has the built-in CloudFormation validator (`CloudFormationValidatePlugin`,
 * from BUILTIN_VALIDATOR_SINCE) that writes validation-report.json. test/floor/floor-version.test.ts checks this
 * agrees with the version, so a renamed export cannot turn the validator tests into skips.
 */
export const HAS_BUILTIN_VALIDATOR: boolean = typeof (cdk as Record<string, unknown>).CloudFormationValidatePlugin === 'function';

/**
 * `test` for a check that reads the built-in validator's report. On an aws-cdk-lib without the validator
 * (below BUILTIN_VALIDATOR_SINCE, e.g. the floor run) the test is registered as skipped, with the reason in its name and
 * a warning on the console: never a silent pass.
 */
export function validatorTest(name: string, fn: () => void): void {
  if (HAS_BUILTIN_VALIDATOR) {
    test(name, fn);
    return;
  }
  const reason = `aws-cdk-lib ${AWS_CDK_LIB_VERSION} has no built-in CloudFormation validator (CloudFormationValidatePlugin, from ${BUILTIN_VALIDATOR_SINCE})`;
  console.warn(`SKIPPED "${name}": ${reason}. The cfn-lint checks still run.`);
  test.skip(`${name} [SKIPPED: ${reason}]`, fn);
}

/** Findings in the validation report a synth wrote to `outdir` (built-in CloudFormation validator and plugins). */
export function validationFindings(outdir: string): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
  return report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${r.pluginName} ${v.ruleName}: ${v.description}`));
}

/**
 * Registers the checks every synthesized test app gets: the built-in CloudFormation validator reported
 * nothing (the synth must have run with CDK_VALIDATION=true; skipped, loudly, on an aws-cdk-lib without
 * the validator), and cfn-lint finds no errors or warnings.
 */
export function testTemplatesAreClean(outdir: string, templates: string[]): void {
  validatorTest('the built-in CloudFormation validator reports nothing', () => {
    expect(validationFindings(outdir)).toEqual([]);
  });

  test('cfn-lint finds no errors and no warnings', () => {
    const lint = cfnLint(templates);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });
}
