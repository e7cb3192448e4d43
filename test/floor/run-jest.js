// `npm run test:floor`: installs the floor aws-cdk-lib (pinned/package-lock.json) unless it is there already,
// then runs jest with test/floor/jest.config.js, forwarding extra arguments (paths, -t, ...).
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const pinnedDir = join(__dirname, 'pinned');
const pinned = require('./pinned/package.json').dependencies['aws-cdk-lib'];
const installedManifest = join(pinnedDir, 'node_modules', 'aws-cdk-lib', 'package.json');
const installed = existsSync(installedManifest) ? JSON.parse(readFileSync(installedManifest, 'utf-8')).version : undefined;

if (installed !== pinned) {
  console.log(`floor: installing aws-cdk-lib ${pinned} into test/floor/pinned/node_modules${installed ? ` (found ${installed})` : ''}`);
  // --legacy-peer-deps: aws-cdk-lib's peer `constructs` stays the project's single copy (jest maps it there).
  execFileSync('npm', ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund', '--silent'], { cwd: pinnedDir, stdio: 'inherit' });
}

const args = process.argv.slice(2);
console.log(`floor: running jest on aws-cdk-lib ${pinned}${args.length ? `: ${args.join(' ')}` : ''}`);
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const run = spawnSync(process.execPath, [jest, '--config', join(__dirname, 'jest.config.js'), ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
