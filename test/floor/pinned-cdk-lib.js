// A pinned aws-cdk-lib: a folder with package.json + package-lock.json naming one aws-cdk-lib version, installed
// into its node_modules on first use. The floor (test/floor/pinned, the oldest version the peer range allows)
// serves `npm run test:floor` and the language-app tests; the Go app pins its own (test/jsii/go-app/cdk-lib).
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const FLOOR_DIR = join(__dirname, 'pinned');
const FLOOR_VERSION = require('./pinned/package.json').dependencies['aws-cdk-lib'];

/** The aws-cdk-lib folder of the pinned folder `dir`, after installing it unless its version is there already. */
function pinnedCdkLibDir(dir = FLOOR_DIR) {
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf-8')).dependencies['aws-cdk-lib'];
  const directory = join(dir, 'node_modules', 'aws-cdk-lib');
  const manifest = join(directory, 'package.json');
  const installed = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf-8')).version : undefined;
  if (installed !== version) {
    const where = relative(join(__dirname, '..', '..'), dir);
    console.log(`installing aws-cdk-lib ${version} into ${where}/node_modules${installed ? ` (found ${installed})` : ''}`);
    // --legacy-peer-deps: aws-cdk-lib's peer `constructs` stays the project's single copy.
    execFileSync('npm', ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund', '--silent'], { cwd: dir, stdio: 'inherit' });
  }
  return directory;
}

module.exports = { pinnedCdkLibDir, FLOOR_VERSION };
