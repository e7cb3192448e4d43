import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runnerCache } from '../../lib/local/dependencies/runner-dependencies';
import { createPackedApp, PackedApp } from './support/packed-app';
import { startPackedCli } from './support/running-cli';
import { DOCUMENT_CLIENT_HANDLER, SQS_HANDLER, writeSdkApp } from './support/sdk-app';

/*
 * The packed CLI in an app that installed only the library, aws-cdk-lib and constructs: nothing else to
 * install. The runner's dependencies arrive in its own cache on first use (here a temporary folder through
 * CDK_RESILIENT_SERVERLESS_CACHE), and handlers get the AWS SDK as Lambda's Node.js runtime provides it:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included
 * The tests of the second describe share one cache and run in order: the first fills it from the registry.
 */
const UNREACHABLE_REGISTRY = 'http://127.0.0.1:9';
let packed: PackedApp;
let work: string;
beforeAll(() => {
  packed = createPackedApp(['aws-cdk-lib', 'constructs']);
  work = mkdtempSync(path.join(tmpdir(), 'packed-cli-'));
});
afterAll(() => {
  packed?.remove();
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(packed.dir, 'node_modules', 'cdk-resilient-serverless', 'dist', 'local', 'cli', 'main.js'), ...args], { cwd: packed.dir, encoding: 'utf-8', env: { ...process.env, ...env } });
const offline = (cache: string): NodeJS.ProcessEnv => ({ CDK_RESILIENT_SERVERLESS_CACHE: cache, npm_config_registry: UNREACHABLE_REGISTRY, npm_config_cache: mkdtempSync(path.join(work, 'npm-cache-')) });
const versionDir = (root: string) => runnerCache.cacheDirectory({ CDK_RESILIENT_SERVERLESS_CACHE: root });

describe('the packed CLI in an app with only the library, aws-cdk-lib and constructs', () => {
  test('the app really lacks the runner\'s dependencies and the SDK', () => {
    for (const name of ['dynalite', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']) {
      expect(() => require.resolve(name, { paths: [packed.dir] })).toThrow();
    }
  });

  test.each([['--help'], ['local', '--help'], ['put-events', '-h'], ['cost', '--help']])('%s %s answers with usage, exit 0', (...args) => {
    const run = cli(args.filter((a) => a !== undefined));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Usage:');
    expect(run.status).toBe(0);
  });

  test('--version prints the packed version', () => {
    const run = cli(['--version']);
    expect([run.status, run.stdout.trim()]).toEqual([0, require('../../package.json').version]);
  });

  test('an unknown option is a usage error naming the valid ones, not a stack trace', () => {
    const run = cli(['local', '--prot', '3']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--prot' for 'local'. Did you mean --port?");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('offline with an empty cache: one line naming the command that installs the runner\'s dependencies, exit 1', () => {
    const cache = path.join(work, 'offline-cache');
    const assembly = writeSdkApp(path.join(work, 'offline-app'), [{ name: 'Docs', source: DOCUMENT_CLIENT_HANDLER, format: 'cjs' }]);
    const run = cli(['local', '--app', assembly, '--port', '0'], offline(cache));
    expect(run.status).toBe(1);
    const errorLines = run.stderr.trimEnd().split('\n');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^error: Cannot install the local runner's dependencies \(.*dynalite@\d.*\) into .*: ECONNREFUSED/);
    expect(errorLines[0]).toContain(`run: npm ci --prefix ${versionDir(cache)}`);
    expect(run.stdout).toContain(`Installing the local runner's dependencies (`);
    expect(run.stdout).toContain(`into ${versionDir(cache)}`);
  });

  test('a damaged cache (a pinned package that throws on load): one line naming the package and where it is, exit 1, before anything is installed', () => {
    const cache = path.join(work, 'damaged-cache');
    for (const [name, version] of Object.entries(runnerCache.RUNNER_PINS)) {
      const folder = path.join(versionDir(cache), 'node_modules', name);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
      // dynalite fails as it does where classic-level has no prebuilt binary; the other pin loads.
      writeFileSync(path.join(folder, 'index.js'), name === 'dynalite' ? "throw new Error('No native build was found for platform=test');" : 'module.exports = {};');
    }
    const assembly = writeSdkApp(path.join(work, 'damaged-app'), [{ name: 'Docs', source: DOCUMENT_CLIENT_HANDLER, format: 'cjs' }]);
    const run = cli(['local', '--app', assembly, '--port', '0'], offline(cache));
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `error: The local runner cannot load dynalite from ${path.join(versionDir(cache), 'node_modules', 'dynalite', 'index.js')}: No native build was found for platform=test`,
    ]);
    expect(run.stdout).toBe('');
  });
});

describe('first use with the registry reachable, then offline, in one cache', () => {
  let cache: string;
  beforeAll(() => { cache = path.join(work, 'shared-cache'); });

  test('installs the runner\'s dependencies and lib-dynamodb into the cache, serves, and a CJS and an ESM handler write and read a table through lib-dynamodb', async () => {
    const assembly = writeSdkApp(path.join(work, 'docs-app'), [
      { name: 'DocsCjs', source: DOCUMENT_CLIENT_HANDLER, format: 'cjs' },
      { name: 'DocsEsm', source: DOCUMENT_CLIENT_HANDLER, format: 'esm' },
    ]);
    const run = startPackedCli(packed.dir, ['local', '--app', assembly, '--port', '0'], { ...process.env, CDK_RESILIENT_SERVERLESS_CACHE: cache });
    try {
      const apiLine = await run.waitFor(/HTTP API \(v2 events\) .*: http:\/\//);
      await run.waitFor(/^Ctrl-C stops/);
      expect(run.stdout).toContain(`Installing the local runner's dependencies (${Object.entries(runnerCache.RUNNER_PINS).map(([n, v]) => `${n}@${v}`).join(', ')}) into ${versionDir(cache)}; this happens once per version.`);
      expect(run.stdout).toContain(`Installing @aws-sdk/lib-dynamodb@${runnerCache.SDK_VERSION} into ${versionDir(cache)} (imported by DocsCjs, DocsEsm; Lambda's Node.js runtime provides the AWS SDK); this happens once.`);
      const url = /(http:\/\/\S+)/.exec(apiLine)![1];
      for (const [route, id] of [['DocsCjs', 'from-cjs'], ['DocsEsm', 'from-esm']]) {
        const response = await fetch(`${url}/${route}/${id}`);
        expect([response.status, await response.json()]).toEqual([200, { pk: id, tags: ['a', 'b'], count: 2 }]);
      }
    } finally {
      expect({ exit: await run.stop(), stderr: run.stderr }).toEqual({ exit: 0, stderr: [] });
    }
  });

  test('a second start installs nothing', async () => {
    const assembly = writeSdkApp(path.join(work, 'docs-app-again'), [{ name: 'DocsCjs', source: DOCUMENT_CLIENT_HANDLER, format: 'cjs' }]);
    const run = startPackedCli(packed.dir, ['local', '--app', assembly, '--port', '0'], { ...process.env, ...offline(cache) });
    try {
      await run.waitFor(/^Ctrl-C stops/);
      expect(run.stdout.filter((l) => l.startsWith('Installing'))).toEqual([]);
    } finally {
      expect({ exit: await run.stop(), stderr: run.stderr }).toEqual({ exit: 0, stderr: [] });
    }
  });

  test('offline, a client neither the app nor the cache has: a start-up warning and the failing request\'s error name the package and the command', async () => {
    const assembly = writeSdkApp(path.join(work, 'sqs-app'), [{ name: 'Sqs', source: SQS_HANDLER, format: 'esm' }]);
    const run = startPackedCli(packed.dir, ['local', '--app', assembly, '--port', '0'], { ...process.env, ...offline(cache) });
    const command = `npm install --prefix ${versionDir(cache)} --save-exact @aws-sdk/client-sqs@${runnerCache.SDK_VERSION}`;
    try {
      const invokeLine = await run.waitFor(/Lambda Invoke API: http:\/\//);
      const warning = run.stdout.find((l) => l.startsWith('warning:'));
      expect(warning).toMatch(/^warning: Cannot install @aws-sdk\/client-sqs into .*: ECONNREFUSED/);
      expect(warning).toContain(`run: ${command}`);
      const invokeUrl = /(http:\/\/\S+)/.exec(invokeLine)![1];
      const response = await fetch(`${invokeUrl}/2015-03-31/functions/Sqs/invocations`, { method: 'POST', body: '{}' });
      const payload = (await response.json()) as { errorType: string; errorMessage: string };
      expect(payload.errorType).toBe('Runtime.ImportModuleError');
      expect(payload.errorMessage).toContain("Cannot find module '@aws-sdk/client-sqs'");
      expect(payload.errorMessage).toContain(`Run: ${command}`);
    } finally {
      expect({ exit: await run.stop(), stderr: run.stderr }).toEqual({ exit: 0, stderr: [] });
    }
  });
});
