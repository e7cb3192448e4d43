import { spawnSync } from 'child_process';
import * as path from 'path';
import { createPackedApp, PackedApp } from './support/packed-app';

/*
 * The packed CLI in an app that installed only the library and aws-cdk-lib: help, version and usage errors
 * answer before the local runner's own dependencies are there.
 */
describe('the packed CLI before the runner dependencies are installed', () => {
  let packed: PackedApp;
  beforeAll(() => { packed = createPackedApp(['aws-cdk-lib', 'constructs']); });
  afterAll(() => packed?.remove());

  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(packed.dir, 'node_modules', 'cdk-resilient-serverless', 'dist', 'local', 'cli', 'main.js'), ...args], { cwd: packed.dir, encoding: 'utf-8' });

  test('the app really lacks the SDK', () => {
    expect(() => require.resolve('@aws-sdk/client-dynamodb', { paths: [packed.dir] })).toThrow();
  });

  test.each([['--help'], ['local', '--help'], ['put-events', '-h']])('%s %s answers with usage, exit 0', (...args) => {
    const run = cli(...args.filter((a) => a !== undefined));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Usage:');
    expect(run.status).toBe(0);
  });

  test('--version prints the packed version', () => {
    const run = cli('--version');
    expect([run.status, run.stdout.trim()]).toEqual([0, require('../../package.json').version]);
  });

  test('an unknown option is a usage error naming the valid ones, not a stack trace', () => {
    const run = cli('local', '--prot', '3');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--prot' for 'local'. Did you mean --port?");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
