import * as fs from 'fs';
import * as path from 'path';
import { cfnLint } from './cfn-lint';

/** Findings in the validation report a synth wrote to `outdir` (built-in CloudFormation validator and plugins). */
export function validationFindings(outdir: string): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
  return report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${r.pluginName} ${v.ruleName}: ${v.description}`));
}

/**
 * Registers the checks every synthesized test app gets: the built-in CloudFormation validator reported
 * nothing (the synth must have run with CDK_VALIDATION=true), and cfn-lint finds no errors or warnings.
 */
export function testTemplatesAreClean(outdir: string, templates: string[]): void {
  test('the built-in CloudFormation validator reports nothing', () => {
    expect(validationFindings(outdir)).toEqual([]);
  });

  test('cfn-lint finds no errors and no warnings', () => {
    const lint = cfnLint(templates);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });
}
