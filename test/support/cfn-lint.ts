import { spawnSync } from 'child_process';
import * as path from 'path';

export interface CfnLintResult {
  /** True when cfn-lint is not installed: the caller must say so loudly. */
  readonly skipped: boolean;
  /** Findings, one per line, empty when clean. */
  readonly output: string;
  /** cfn-lint's exit code: a bit field (2 = errors, 4 = warnings, 8 = informational). */
  readonly status: number;
}

const PROJECT_ROOT = path.join(__dirname, '..', '..');

/** Runs cfn-lint (with the project's .cfnlintrc) on templates, or reports that it is not installed. */
export function cfnLint(templates: string[]): CfnLintResult {
  const run = spawnSync('cfn-lint', ['--', ...templates], { cwd: PROJECT_ROOT, encoding: 'utf-8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    console.warn('cfn-lint is not on PATH: SKIPPED cfn-lint checks (install it with `pip install cfn-lint`); the built-in validator still ran.');
    return { skipped: true, output: '', status: 0 };
  }
  return { skipped: false, output: `${run.stdout}${run.stderr}`.trim(), status: run.status ?? -1 };
}
