// @ts-check
/*
 * The local runner's package cache: a folder the runner owns (outside the user's app), where it installs on
 * first use what the library does not ship: its own dependencies (dynalite, the DynamoDB client), pinned by the
 * lock in ./lock, and the AWS SDK packages handlers import because Lambda's runtime provides them.
 * Plain CommonJS: the runner (TypeScript, compiled or not) and the execution environments (plain JavaScript,
 * worker thread or child process) share it.
 */
'use strict';
const { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');

/** Environment variable that moves the cache (tests point it at a temporary folder). */
const CACHE_ENV = 'CDK_RESILIENT_SERVERLESS_CACHE';
const LOCK_FOLDER = join(__dirname, 'lock');
/** @type {Record<string, string>} */
const RUNNER_PINS = JSON.parse(readFileSync(join(LOCK_FOLDER, 'package.json'), 'utf8')).dependencies;
/** The SDK release the runner pins; SDK packages a handler needs are installed at this release when it exists. */
const SDK_VERSION = RUNNER_PINS['@aws-sdk/client-dynamodb'];
// Connection refused or no DNS fails in seconds rather than after npm's default minute of retries.
const NPM_FLAGS = ['--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts', '--loglevel=error', '--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=5000'];
const STALE_LOCK_MS = 10 * 60_000;

/** The library's version: lib/local/dependencies and dist/local/dependencies are three levels below the root. */
function libraryVersion() {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
}

/** The folder of every version's cache: $CDK_RESILIENT_SERVERLESS_CACHE, else the user's cache folder. */
function cacheRoot(env = process.env) {
  const base = env.XDG_CACHE_HOME || (process.platform === 'win32' && env.LOCALAPPDATA) || join(homedir(), '.cache');
  return env[CACHE_ENV] || join(base, 'cdk-resilient-serverless');
}

/** The cache of this library version: `<root>/<version>`, so upgrades never mix their pins. */
function cacheDirectory(env = process.env) {
  return join(cacheRoot(env), libraryVersion());
}

/** Resolves a package as a file inside `directory` would (its node_modules, then the parents'); undefined when absent. */
function resolveFrom(directory, request) {
  const parent = { id: join(directory, 'index.js'), filename: join(directory, 'index.js'), paths: /** @type {any} */ (Module)._nodeModulePaths(directory) };
  // Node's own resolution, not sdk-resolution.cjs's wrapper around it: looking into a place must not recurse.
  const current = /** @type {any} */ (Module)._resolveFilename;
  try {
    return (current.nodeResolve ?? current).call(Module, request, parent, false);
  } catch {
    return undefined;
  }
}

/** The installed version of a package in the cache, or undefined. */
function cachedVersion(directory, name) {
  try {
    return JSON.parse(readFileSync(join(directory, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** `name@version` of each runner pin the cache lacks (or holds at another version). */
function missingRunnerPins(directory) {
  return Object.entries(RUNNER_PINS).filter(([name, version]) => cachedVersion(directory, name) !== version).map(([name, version]) => `${name}@${version}`);
}

/** A failed install: `message` is one line that names the command to run. */
class CacheInstallError extends Error {
  /** @param {string} message @param {string} command */
  constructor(message, command) {
    super(message);
    this.name = 'CacheInstallError';
    this.command = command;
  }
}

function quote(/** @type {string} */ arg) {
  return /^[\w@./:=+-]+$/.test(arg) ? arg : `"${arg}"`;
}

/** The command line a user runs to do by hand what `npm(directory, args)` does. */
function npmCommandLine(/** @type {string} */ directory, /** @type {string[]} */ args) {
  return ['npm', args[0], '--prefix', directory, ...args.slice(1)].map(quote).join(' ');
}

/** Runs npm in the cache; throws the one-line reason npm gave (its error code and first message line). */
function npm(/** @type {string} */ directory, /** @type {string[]} */ args) {
  // Loaded here: every execution environment loads this file for its paths, and none of them runs npm.
  const { execFileSync } = require('node:child_process');
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', [args[0], '--prefix', directory, ...args.slice(1), ...NPM_FLAGS], {
      cwd: directory,
      // Named, not inherited: a caller that changed process.env in-process (a test runner's sandbox) is heard.
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
  } catch (/** @type {any} */ err) {
    if (err.code === 'ENOENT') throw new Error('npm is not on PATH');
    const lines = String(err.stderr ?? '').split('\n').map((l) => l.replace(/^npm (error|ERR!) ?/, '').trim());
    const code = lines.find((l) => l.startsWith('code '))?.slice(5);
    const detail = lines.find((l) => l && !/^(code|syscall|errno|path|A complete log)\b/.test(l) && !/^at\s/.test(l));
    throw Object.assign(new Error([code, detail].filter(Boolean).join(': ') || `npm exited with ${err.status}`), { npmCode: code });
  }
}

/**
 * Holds an exclusive lock on the cache while `work` runs, so runners and environments started together
 * install once; a lock left by a crashed install is taken over after ten minutes.
 */
function withCacheLock(/** @type {string} */ directory, /** @type {() => void} */ work) {
  const lock = `${directory}.lock`;
  mkdirSync(dirname(directory), { recursive: true });
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (/** @type {any} */ err) {
      if (err.code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released in between
      }
      if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(nap, 0, 0, 200);
    }
  }
  try {
    work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Installs the runner's pinned dependencies into the cache unless they are there; `log` receives one line
 * saying what is installed where. Throws a CacheInstallError when npm cannot install them.
 */
function installRunnerDependencies(/** @type {string} */ directory, /** @type {(line: string) => void} */ log) {
  if (missingRunnerPins(directory).length === 0) return;
  withCacheLock(directory, () => {
    const missing = missingRunnerPins(directory);
    if (missing.length === 0) return;
    log(`Installing the local runner's dependencies (${missing.join(', ')}) into ${directory}; this happens once per version.`);
    mkdirSync(directory, { recursive: true });
    copyFileSync(join(LOCK_FOLDER, 'package.json'), join(directory, 'package.json'));
    copyFileSync(join(LOCK_FOLDER, 'package-lock.json'), join(directory, 'package-lock.json'));
    const command = npmCommandLine(directory, ['ci']);
    try {
      npm(directory, ['ci']);
    } catch (err) {
      throw new CacheInstallError(`Cannot install the local runner's dependencies (${missing.join(', ')}) into ${directory}: ${/** @type {Error} */ (err).message}. With the npm registry reachable, run: ${command}`, command);
    }
  });
}

/** The spec to install for a package a handler imports: SDK packages at the runner's SDK release. */
function installSpec(/** @type {string} */ name) {
  return name.startsWith('@aws-sdk/') ? `${name}@${SDK_VERSION}` : name;
}

/** The command that installs these packages into the cache by hand. */
function packagesCommand(/** @type {string} */ directory, /** @type {string[]} */ names) {
  return npmCommandLine(directory, ['install', '--save-exact', ...names.map(installSpec)]);
}

/**
 * Installs packages handlers import into the cache (SDK packages at the runner's SDK release, or the latest
 * where that release has no such package). `log` receives one line per install. Throws a CacheInstallError.
 */
function installPackages(/** @type {string} */ directory, /** @type {string[]} */ names, /** @type {(line: string) => void} */ log, /** @type {string} */ reason) {
  withCacheLock(directory, () => {
    const missing = names.filter((name) => cachedVersion(directory, name) === undefined);
    if (missing.length === 0) return;
    mkdirSync(directory, { recursive: true });
    if (!existsSync(join(directory, 'package.json'))) writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'cdk-resilient-serverless-runner-cache', private: true }));
    let specs = missing.map(installSpec);
    log(`Installing ${specs.join(', ')} into ${directory} (${reason}); this happens once.`);
    try {
      try {
        npm(directory, ['install', '--save-exact', ...specs]);
      } catch (/** @type {any} */ err) {
        if (err.npmCode !== 'ETARGET') throw err;
        // This SDK release did not publish one of them: take the newest release of each instead.
        specs = missing;
        npm(directory, ['install', '--save-exact', ...specs]);
      }
    } catch (err) {
      const command = packagesCommand(directory, missing);
      throw new CacheInstallError(`Cannot install ${missing.join(', ')} into ${directory}: ${/** @type {Error} */ (err).message}. With the npm registry reachable, run: ${command}`, command);
    }
  });
}

module.exports = {
  CACHE_ENV,
  NPM_FLAGS,
  RUNNER_PINS,
  SDK_VERSION,
  CacheInstallError,
  cacheRoot,
  cacheDirectory,
  resolveFrom,
  missingRunnerPins,
  installRunnerDependencies,
  installPackages,
  packagesCommand,
  withCacheLock,
};
