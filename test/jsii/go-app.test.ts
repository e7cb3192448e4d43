import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { appTest, pinnedCdkLib, readmeBlock, readOrders, ROOT, synthTypeScriptQuickstart, workDir } from './support/quickstart';

// The Go app (go-app/main.go, the README's Go snippet) against the README's TypeScript quick start: same
// aws-cdk-lib version, same handlers, and the normalised templates must be equal.
// The library's go.mod requires aws-cdk-go at the peer floor (bin/package-targets.js), but this machine's Go
// module proxy does not serve v2.252.0, so the app pins the oldest version it serves (go-app/go.mod), the
// TypeScript side synthesizes on the same version from npm (go-app/cdk-lib), and the test checks that the Go
// app really ran on it.
// Needs the module from `npm run package -- go` (slow, so not part of `npm test`): see appTest.
const APP_DIR = path.join(__dirname, 'go-app');

test('the README Go snippet is test/jsii/go-app/main.go', () => {
  expect(readmeBlock('go-quickstart', 'go')).toEqual(fs.readFileSync(path.join(APP_DIR, 'main.go'), 'utf-8'));
});

appTest('go', __filename)('the Go app synthesizes the same template as the TypeScript quick start', () => {
  const work = workDir('go-app');
  try {
    const go = spawnSync(path.join(APP_DIR, 'run.sh'), [path.join(work, 'go.out')], { cwd: ROOT, encoding: 'utf-8' });
    expect({ status: go.status, stderr: go.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });

    const cdkLib = pinnedCdkLib(path.join(APP_DIR, 'cdk-lib'));
    expect(cdkLibVersionOf(path.join(work, 'go.out'))).toEqual(require(path.join(cdkLib, 'package.json')).version);
    const typescript = synthTypeScriptQuickstart(work, cdkLib);
    expect(typescript).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });

    const fromGo = readOrders(work, 'go.out');
    expect(Object.keys(fromGo.Resources).length).toBeGreaterThan(50);
    expect(fromGo).toEqual(readOrders(work, 'ts.out'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 900_000);

/** The aws-cdk-lib version a cloud assembly was synthesized with (its tree's App node records it). */
function cdkLibVersionOf(assembly: string): string {
  return JSON.parse(fs.readFileSync(path.join(assembly, 'tree.json'), 'utf-8')).tree.constructInfo.version;
}
