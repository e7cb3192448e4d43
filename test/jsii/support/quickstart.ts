import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { normalizeTemplate } from '../../../lib/testing';

// What every language-app test (test/jsii/*-app.test.ts) shares: the README blocks, the handlers, the
// TypeScript quick start synthesized on a chosen aws-cdk-lib, and the stale-package check.
export const ROOT = path.join(__dirname, '..', '..', '..');
export const HANDLERS = ['checkout.ts', 'reports.ts'].map((file) => path.join(__dirname, file));
const { stalePackage } = require(path.join(ROOT, 'bin', 'package-targets.js'));

/** The code block that follows a `<!-- readme-check: NAME ... -->` marker in README.md. */
export function readmeBlock(name: string, language: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const match = new RegExp(`<!-- readme-check: ${name}[^>]*-->\\s*\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no readme-check block named ${name}`);
  return match[1];
}

/**
 * `test` for a language app's synth when dist-pacmak/<target> is this checkout's package. Otherwise the test
 * is skipped under a banner no one scrolls past (`npm test` does not build packages), or, where the run
 * promised the packages (`JSII_APP_TESTS=required`, as .ci/run sets after `npm run package`), it fails.
 */
export function appTest(target: 'python' | 'java' | 'go', testFile: string): jest.It {
  const problem: string | undefined = stalePackage(target);
  if (!problem) return test;
  if (process.env.JSII_APP_TESTS === 'required') {
    return ((name: string, _fn: unknown, timeout?: number) => test(name, () => { throw new Error(problem); }, timeout)) as jest.It;
  }
  const file = path.relative(ROOT, testFile);
  console.warn(['!'.repeat(100), `!! SKIPPED ${file} synth: ${problem}.`, '!'.repeat(100)].join('\n'));
  return test.skip;
}

/** A fresh folder under the git-ignored .tmp/ (the repo's lock file is above it, as esbuild needs). */
export function workDir(prefix: string): string {
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  return fs.mkdtempSync(path.join(ROOT, '.tmp', `${prefix}-`));
}

/**
 * The aws-cdk-lib folder of a pinned folder (package.json + lock naming one version), installed on first use:
 * by default the peer floor (test/floor/pinned), as `npm run test:floor` uses it.
 */
export function pinnedCdkLib(dir?: string): string {
  return require(path.join(ROOT, 'test', 'floor', 'pinned-cdk-lib.js')).pinnedCdkLibDir(dir);
}

/** Synthesizes the README's TypeScript quick start on the aws-cdk-lib in `cdkLib` into `work/ts.out`. */
export function synthTypeScriptQuickstart(work: string, cdkLib: string): { status: number | null; stderr: string } {
  const lib = path.relative(work, path.join(ROOT, 'lib')).split(path.sep).join('/');
  fs.writeFileSync(path.join(work, 'app.ts'), readmeBlock('quickstart', 'ts').replace(/from 'cdk-resilient-serverless'/g, `from '${lib}'`));
  for (const handler of HANDLERS) fs.copyFileSync(handler, path.join(work, path.basename(handler)));
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(work, 'app.ts')], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: {
      ...process.env,
      CDK_OUTDIR: path.join(work, 'ts.out'),
      CDK_LIB_DIR: cdkLib,
      NODE_OPTIONS: `--require ${path.join(__dirname, 'cdk-lib-hook.js')}`,
    },
  });
  return { status: run.status, stderr: run.stderr };
}

/** The stack `Orders` of the cloud assembly in `work/outDir`, normalised (asset hashes and versions out). */
export function readOrders(work: string, outDir: string) {
  return normalizeTemplate(JSON.parse(fs.readFileSync(path.join(work, outDir, 'Orders.template.json'), 'utf-8')));
}
