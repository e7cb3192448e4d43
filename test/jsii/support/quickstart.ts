import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { normalizeTemplate } from '../../../lib/testing';

// What every language-app test (test/jsii/*-app.test.ts) shares: the README blocks, the handlers, the
// TypeScript quick start synthesized on a chosen aws-cdk-lib, and the stale-package check.
const ROOT = path.join(__dirname, '..', '..', '..');
const HANDLERS = ['checkout.ts', 'reports.ts'].map((file) => path.join(__dirname, file));
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
function workDir(prefix: string): string {
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
function synthTypeScriptQuickstart(work: string, cdkLib: string): { status: number | null; stderr: string } {
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
function readOrders(work: string, outDir: string) {
  return normalizeTemplate(JSON.parse(fs.readFileSync(path.join(work, outDir, 'Orders.template.json'), 'utf-8')));
}

/** The aws-cdk-lib version a cloud assembly was synthesized with (its tree's App node records it). */
function cdkLibVersionOf(assembly: string): string {
  return JSON.parse(fs.readFileSync(path.join(assembly, 'tree.json'), 'utf-8')).tree.constructInfo.version;
}

/**
 * Runs test/jsii/<language>-app/run.sh (the app synthesized as its users would) and the README's TypeScript
 * quick start on the aws-cdk-lib in `cdkLib`; both must succeed, the app must really have run on that
 * aws-cdk-lib version, and the normalised templates must be equal.
 */
export function expectQuickstartTemplate(language: 'python' | 'java' | 'go', cdkLib: string): void {
  const work = workDir(`${language}-app`);
  try {
    const out = path.join(work, `${language}.out`);
    const app = spawnSync(path.join(__dirname, '..', `${language}-app`, 'run.sh'), [out], { cwd: ROOT, encoding: 'utf-8' });
    expect({ status: app.status, stdout: app.stdout, stderr: app.stderr }).toEqual({
      status: 0,
      stdout: expect.not.stringMatching(/\[ERROR\]/), // Maven reports build errors on stdout
      stderr: expect.not.stringMatching(/Error/),
    });
    expect(cdkLibVersionOf(out)).toEqual(JSON.parse(fs.readFileSync(path.join(cdkLib, 'package.json'), 'utf-8')).version);

    expect(synthTypeScriptQuickstart(work, cdkLib)).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });
    const fromApp = readOrders(work, `${language}.out`);
    expect(Object.keys(fromApp.Resources).length).toBeGreaterThan(50);
    expect(fromApp).toEqual(readOrders(work, 'ts.out'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
