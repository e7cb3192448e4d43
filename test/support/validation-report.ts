import * as fs from 'fs';
import * as path from 'path';

/** Findings in the validation report a synth wrote to `outdir` (built-in CloudFormation validator and plugins). */
export function validationFindings(outdir: string): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
  return report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${r.pluginName} ${v.ruleName}: ${v.description}`));
}
