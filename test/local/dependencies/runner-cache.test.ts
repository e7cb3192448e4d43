import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerCache } from '../../../lib/local/dependencies/runner-dependencies';

const ROOT = join(__dirname, '..', '..', '..');
const LOCK = join(ROOT, 'lib', 'local', 'dependencies', 'lock');

describe('the runner cache lock', () => {
  test('pins exactly the versions the library is developed and tested with (its devDependencies)', () => {
    const devDependencies = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
    for (const [name, version] of Object.entries(runnerCache.RUNNER_PINS)) expect([name, devDependencies[name]]).toEqual([name, version]);
  });

  test('the shipped package-lock.json is the lock of those pins, so `npm ci` accepts it', () => {
    const lock = JSON.parse(readFileSync(join(LOCK, 'package-lock.json'), 'utf8'));
    expect(lock.packages[''].dependencies).toEqual(runnerCache.RUNNER_PINS);
    for (const [name, version] of Object.entries(runnerCache.RUNNER_PINS)) expect(lock.packages[`node_modules/${name}`].version).toBe(version);
  });

  test('the cache folder: CDK_RESILIENT_SERVERLESS_CACHE, else XDG_CACHE_HOME, else ~/.cache; one folder per library version', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(runnerCache.cacheDirectory({ CDK_RESILIENT_SERVERLESS_CACHE: '/c', XDG_CACHE_HOME: '/x' })).toBe(join('/c', version));
    expect(runnerCache.cacheDirectory({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'cdk-resilient-serverless', version));
    expect(runnerCache.cacheDirectory({})).toMatch(new RegExp(`\\.cache/cdk-resilient-serverless/${version.replace(/\./g, '\\.')}$`));
  });
});

describe('installing without a reachable registry', () => {
  let work: string;
  const saved = { ...process.env };
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'runner-cache-'));
    process.env.npm_config_registry = 'http://127.0.0.1:9';
    process.env.npm_config_cache = join(work, 'npm-cache');
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(work, { recursive: true, force: true });
  });

  test('the runner\'s dependencies: one line with npm\'s reason and the command, the line announcing the install, and the lock released', () => {
    const directory = join(work, 'cache', '1.0.0');
    const logged: string[] = [];
    let error: (Error & { command?: string }) | undefined;
    try {
      runnerCache.installRunnerDependencies(directory, (line) => logged.push(line));
    } catch (err) {
      error = err as Error;
    }
    expect(error).toBeInstanceOf(runnerCache.CacheInstallError);
    expect(error!.message.split('\n')).toHaveLength(1);
    expect(error!.message).toMatch(/: ECONNREFUSED: .*127\.0\.0\.1:9.*\. With the npm registry reachable, run: npm ci --prefix \S+$/);
    expect(error!.command).toBe(`npm ci --prefix ${directory}`);
    expect(logged).toEqual([`Installing the local runner's dependencies (@aws-sdk/client-dynamodb@${runnerCache.SDK_VERSION}, dynalite@4.0.0) into ${directory}; this happens once per version.`]);
    expect(existsSync(`${directory}.lock`)).toBe(false);
  });

  test('a handler\'s SDK package: the command installs it at the runner\'s SDK release', () => {
    const directory = join(work, 'cache', '1.0.0');
    expect(() => runnerCache.installPackages(directory, ['@aws-sdk/client-sqs'], () => undefined, 'test')).toThrow(
      `With the npm registry reachable, run: npm install --prefix ${directory} --save-exact @aws-sdk/client-sqs@${runnerCache.SDK_VERSION}`,
    );
    expect(existsSync(`${directory}.lock`)).toBe(false);
  });
});

describe('one install at a time per cache', () => {
  let work: string;
  beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'runner-lock-')); });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  test('a second runner waits for the one holding the lock, then runs', async () => {
    const directory = join(work, '1.0.0');
    const journal = join(work, 'journal');
    // Another process takes the lock, works, writes "first", releases.
    const holder = spawn(process.execPath, ['-e', `
      const { withCacheLock } = require(${JSON.stringify(join(__dirname, '..', '..', '..', 'lib', 'local', 'dependencies', 'runner-cache.cjs'))});
      withCacheLock(${JSON.stringify(directory)}, () => {
        process.stdout.write('holding\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
        require('fs').appendFileSync(${JSON.stringify(journal)}, 'first\\n');
      });`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    runnerCache.withCacheLock(directory, () => appendFileSync(journal, 'second\n'));
    await new Promise((resolve) => holder.on('exit', resolve));
    expect(readFileSync(journal, 'utf8')).toBe('first\nsecond\n');
    expect(existsSync(`${directory}.lock`)).toBe(false);
  });

  test('a lock left by a crashed install (older than ten minutes) is taken over', () => {
    const directory = join(work, '1.0.0');
    mkdirSync(`${directory}.lock`);
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    utimesSync(`${directory}.lock`, elevenMinutesAgo, elevenMinutesAgo);
    let ran = false;
    runnerCache.withCacheLock(directory, () => { ran = true; });
    expect(ran).toBe(true);
    expect(existsSync(`${directory}.lock`)).toBe(false);
  });
});
