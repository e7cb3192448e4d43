import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createPackedApp, packLibrary, PackedApp, PackedTarball, ROOT } from '../../../package/support/packed-app';

/*
 * Runs a CDK app the way a user does: the library installed from its `npm pack` tarball, `cdk synth`, then
 * `cdk-resilient-serverless local` from the installed package, as a child process. Tests talk to it only
 * through what the runner prints and serves.
 */

const run = promisify(execFile);

/**
 * The runner's cache (its own dependencies and SDK clients no app provides), filled from the registry on first
 * use as a user's is; kept under node_modules so repeated local runs reuse it and a fresh checkout starts empty.
 */
const RUNNER_CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk-resilient-serverless-tests');
const RUNNER_ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', CDK_RESILIENT_SERVERLESS_CACHE: RUNNER_CACHE };

export interface PackedRunnerOptions {
  /** Extra arguments of `local` (e.g. `--allow-unsupported`). */
  readonly args?: readonly string[];
}

/** A synthesized app in a fresh folder that installed the packed library. */
export interface PreparedApp {
  readonly dir: string;
  /** The cloud assembly `cdk synth` wrote. */
  readonly assembly: string;
  /** Starts `cdk-resilient-serverless local` on the assembly; resolves once it printed its start-up report. */
  start(options?: { args?: readonly string[] }): Promise<RunningApp>;
  /** Runs the packed CLI to its end (for starts that must fail): exit code and everything it printed. */
  runToExit(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Stops the runners it started and deletes the app. */
  remove(): Promise<void>;
}

/** A `local` runner child process, up. */
export interface RunningApp {
  /** Base URL of each API by the display name the report prints (REST APIs: their first stage). */
  readonly apis: Readonly<Record<string, string>>;
  readonly invokeUrl: string;
  readonly eventsUrl: string;
  /** The start-up report as printed. */
  readonly report: string;
  /** Every line the runner printed so far (stdout and stderr), in order. */
  readonly lines: string[];
  /** Resolves with the first line (printed from now on, or already) that matches. */
  waitForLine(pattern: RegExp, what?: string): Promise<string>;
  /** Invokes a function through the runner's Lambda Invoke API (RequestResponse). */
  invoke(functionName: string, payload: unknown): Promise<{ status: number; functionError?: string; payload: any }>;
  /** Ctrl-C: resolves with the exit code and the lines printed after the report (the summary). */
  stop(): Promise<{ code: number | null; output: string }>;
}

const packs = new Map<string, PackedTarball>();

/**
 * The library's tarball, packed once per build of dist/: the tarball is kept under the temp directory by a
 * fingerprint of what it packs, so every test file (every jest worker) of a run shares one pack.
 */
export function sharedPack(): PackedTarball {
  const fingerprint = distFingerprint();
  const cached = packs.get(fingerprint);
  if (cached) return cached;
  const home = path.join(os.tmpdir(), 'cdk-resilient-serverless-packs');
  fs.mkdirSync(home, { recursive: true });
  const done = path.join(home, `${fingerprint}.json`);
  const lock = path.join(home, `${fingerprint}.lock`);
  for (;;) {
    if (fs.existsSync(done)) break;
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another worker is packing: wait for it (a lock older than 5 minutes is a crashed worker's).
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      const destination = fs.mkdtempSync(path.join(home, 'pack-'));
      const packed = packLibrary(destination);
      fs.writeFileSync(`${done}.tmp`, JSON.stringify(packed));
      fs.renameSync(`${done}.tmp`, done);
      forgetOldPacks(home, done);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  const packed = JSON.parse(fs.readFileSync(done, 'utf8')) as PackedTarball;
  // In use: another run (another worktree's build) must not take it for an old pack.
  const now = new Date();
  fs.utimesSync(done, now, now);
  packs.set(fingerprint, packed);
  return packed;
}

/** Deletes the packs of earlier builds unused for an hour (each run touches the pack it uses). */
function forgetOldPacks(home: string, current: string): void {
  for (const entry of fs.readdirSync(home).filter((f) => f.endsWith('.json'))) {
    const file = path.join(home, entry);
    if (file === current || Date.now() - fs.statSync(file).mtimeMs < 3_600_000) continue;
    const { tarball } = JSON.parse(fs.readFileSync(file, 'utf8')) as PackedTarball;
    fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  }
}

/** What the tarball would hold, by size and time: package.json, README, API.md, .jsii and dist/. Refuses a stale dist/. */
function distFingerprint(): string {
  const cli = path.join(ROOT, 'dist', 'local', 'cli', 'main.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (\`npm test\` does).`);
  const hash = createHash('sha256');
  let newestDist = 0;
  for (const file of filesUnder(path.join(ROOT, 'dist'))) {
    const stat = fs.statSync(file);
    newestDist = Math.max(newestDist, stat.mtimeMs);
    hash.update(`${path.relative(ROOT, file)} ${stat.size} ${stat.mtimeMs}\n`);
  }
  const newestSource = Math.max(...filesUnder(path.join(ROOT, 'lib')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => fs.statSync(f).mtimeMs));
  if (newestSource > newestDist) throw new Error('dist/ is older than lib/: run `npm run build` first, so the packed library is the code under test.');
  for (const file of ['package.json', 'README.md', 'API.md', '.jsii']) {
    const full = path.join(ROOT, file);
    if (fs.existsSync(full)) hash.update(`${file} ${fs.statSync(full).size} ${fs.statSync(full).mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * A fresh app folder holding a copy of `source` (an app's own files: package.json, cdk.json, bin, lib,
 * handlers), the packed library, and the app's declared dependencies linked from this project's node_modules
 * (offline, as `npm install` would have put them); then `cdk synth` with the app's own CDK CLI.
 */
export async function prepareApp(source: string, options: PackedRunnerOptions = {}): Promise<PreparedApp> {
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((d) => d !== 'cdk-resilient-serverless');
  const missing = declared.filter((d) => !fs.existsSync(path.join(ROOT, 'node_modules', d)));
  if (missing.length > 0) throw new Error(`${source}/package.json declares ${missing.join(', ')}, which this project does not have in node_modules to link`);
  // esbuild's platform binary comes with it as an optional dependency.
  const links = [...declared, ...(declared.includes('esbuild') ? ['@esbuild'] : [])];
  const app = createPackedApp([...new Set(links)], sharedPack());
  fs.cpSync(source, app.dir, { recursive: true, filter: (f) => !/[\\/](cdk\.out|node_modules)$/.test(f) });
  for (const [name, bin] of [['tsx', 'tsx/dist/cli.mjs'], ['cdk', 'aws-cdk/bin/cdk']]) {
    if (!declared.includes(bin.split('/')[0])) continue;
    fs.mkdirSync(path.join(app.dir, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', bin), path.join(app.dir, 'node_modules', '.bin', name));
  }
  await synthesize(app);
  return preparedApp(app, path.join(app.dir, 'cdk.out'), options);
}

/** An app around a cloud assembly synthesized elsewhere (the example app of bin/), run by the packed CLI. */
export function packedAppFor(assembly: string, options: PackedRunnerOptions = {}): PreparedApp {
  const app = createPackedApp(['aws-cdk-lib', 'constructs'], sharedPack());
  return preparedApp(app, assembly, options);
}

async function synthesize(app: PackedApp): Promise<void> {
  const cdk = path.join(app.dir, 'node_modules', '.bin', 'cdk');
  if (!fs.existsSync(cdk)) throw new Error(`${app.dir}/package.json must declare aws-cdk (the CDK CLI) to synthesize`);
  try {
    await run(cdk, ['synth', '--no-notices', '--quiet', '-o', 'cdk.out'], {
      cwd: app.dir,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', PATH: `${path.join(app.dir, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`cdk synth failed in ${app.dir}:\n${e.stderr ?? ''}${e.stdout ?? ''}${e.message}`);
  }
}

function preparedApp(app: PackedApp, assembly: string, options: PackedRunnerOptions): PreparedApp {
  const cli = path.join(app.dir, 'node_modules', 'cdk-resilient-serverless', 'dist', 'local', 'cli', 'main.js');
  const running: RunningApp[] = [];
  return {
    dir: app.dir,
    assembly,
    async start(startOptions = {}) {
      const child = spawn(process.execPath, [cli, 'local', '--app', assembly, '--port', '0', ...(options.args ?? []), ...(startOptions.args ?? [])], {
        cwd: app.dir,
        env: RUNNER_ENV,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const started = await runningApp(child);
      running.push(started);
      return started;
    },
    async runToExit(args) {
      const child = spawn(process.execPath, [cli, ...args], { cwd: app.dir, env: RUNNER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout!.on('data', (c: Buffer) => stdout.push(c));
      child.stderr!.on('data', (c: Buffer) => stderr.push(c));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
    },
    async remove() {
      await Promise.all(running.map((r) => r.stop()));
      app.remove();
    },
  };
}

/** The line the start-up report ends with: the runner is serving. */
const READY = /^Ctrl-C stops the runner/;

function runningApp(child: ChildProcess): Promise<RunningApp> {
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let exit: { code: number | null } | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    exit = { code };
    resolve(code);
  }));
  const collect = (stream: NodeJS.ReadableStream) => {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        for (const w of waiters.filter((x) => x.pattern.test(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);

  const waitForLine = (pattern: RegExp, what = String(pattern)): Promise<string> => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      waiters.push({ pattern, resolve });
      void exited.then((code) => reject(new Error(`the runner exited (code ${code}) before printing ${what}; it printed:\n${lines.join('\n')}`)));
    });
  };

  return waitForLine(READY, 'its start-up report').then(() => {
    const report = lines.join('\n');
    const url = (label: RegExp) => {
      const match = label.exec(report);
      if (!match) throw new Error(`the start-up report has no ${label}:\n${report}`);
      return match[1];
    };
    const apis: Record<string, string> = {};
    for (const m of report.matchAll(/^ {2}(?:REST|HTTP) API \([^)]*\) (.+): (http:\/\/[^\s,]+)/gm)) apis[m[1]] = m[2];
    const invokeUrl = url(/Lambda Invoke API: (http:\/\/\S+)/);
    const reportLength = lines.length;
    return {
      apis, invokeUrl, report, lines, waitForLine,
      eventsUrl: url(/events endpoint \(PutEvents, POST \/events\): (http:\/\/\S+)/),
      async invoke(functionName: string, payload: unknown) {
        const response = await fetch(`${invokeUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, { method: 'POST', body: JSON.stringify(payload) });
        const text = await response.text();
        const functionError = response.headers.get('x-amz-function-error') ?? undefined;
        return { status: response.status, ...(functionError ? { functionError } : {}), payload: text ? JSON.parse(text) : undefined };
      },
      async stop() {
        if (!exit) child.kill('SIGINT');
        // A runner that ignores Ctrl-C must not outlive the test run.
        const stubborn = setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        const code = await exited;
        clearTimeout(stubborn);
        return { code, output: lines.slice(reportLength).join('\n') };
      },
    };
  });
}
