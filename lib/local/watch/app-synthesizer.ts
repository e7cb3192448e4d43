import { ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The result of one synth: the assembly written to `outdir`, or why not. */
export type SynthOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** How the app's `cdk.json` command is run again after an edit. */
export interface AppSynthesizer {
  /** `in-process` (a synthesizer process kept alive between synths) or `command` (the app command each time). */
  readonly mode: 'in-process' | 'command';
  /** The app command, as cdk.json gives it. */
  readonly command: string;
  /** `changed`: absolute paths edited since the last synth (lets the in-process synthesizer keep the rest loaded). */
  synth(outdir: string, changed?: readonly string[]): Promise<SynthOutcome>;
  close(): void;
}

/** What cdk.json says: the app command, its context and what `cdk watch` should ignore. */
export interface CdkJson {
  readonly app: string;
  readonly context: Record<string, unknown>;
  readonly watchExclude: readonly string[];
  readonly output: string;
}

/** Reads `<projectDirectory>/cdk.json` (and cdk.context.json, whose values cdk.json's context overrides, as the CLI does). */
export function readCdkJson(projectDirectory: string): CdkJson {
  const file = join(projectDirectory, 'cdk.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { app?: unknown; context?: Record<string, unknown>; watch?: { exclude?: unknown }; output?: unknown };
  if (typeof json.app !== 'string' || json.app.trim() === '') throw new Error(`${file} has no "app" command`);
  const contextFile = join(projectDirectory, 'cdk.context.json');
  const saved = existsSync(contextFile) ? (JSON.parse(readFileSync(contextFile, 'utf8')) as Record<string, unknown>) : {};
  const exclude = Array.isArray(json.watch?.exclude) ? json.watch!.exclude.filter((e): e is string => typeof e === 'string') : [];
  return { app: json.app, context: { ...saved, ...json.context }, watchExclude: exclude, output: typeof json.output === 'string' ? json.output : 'cdk.out' };
}

/**
 * The context the CDK CLI adds to the app's own with its default settings: path and asset metadata (the runner
 * reads assets through them), version reporting and bundling for every stack. Unlike the CLI, validation errors
 * (cdk-nag's, policy validation plugins') keep failing the synth, since no CLI reads the report afterwards: the
 * reload prints them and the old code keeps serving.
 */
function synthContext(cdk: CdkJson): Record<string, unknown> {
  return { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:version-reporting': true, 'aws:cdk:bundling-stacks': ['**'], ...cdk.context };
}

/**
 * `npx tsx bin/app.ts`, `ts-node --prefer-ts-exts bin/app.ts`, `node bin/app.js`: one interpreter running one entry
 * file, which a long-lived process can load again. Anything else (`npx tsc && node ...`, a shell script,
 * another language) runs as a command.
 */
export function inProcessEntry(command: string): { entry: string; loader: 'tsx' | 'ts-node' | 'none' } | undefined {
  const words = command.trim().split(/\s+/);
  if (words[0] === 'npx') words.shift();
  const tool = words.shift();
  const loader = tool === 'tsx' ? 'tsx' : tool === 'ts-node' ? 'ts-node' : tool === 'node' ? 'none' : undefined;
  if (!loader) return undefined;
  const rest = words.filter((w) => !(loader === 'ts-node' && w === '--prefer-ts-exts'));
  if (rest.length !== 1 || !/\.(ts|cts|js|cjs)$/.test(rest[0]) || (loader === 'none' && /\.ts$/.test(rest[0]))) return undefined;
  return { entry: rest[0], loader };
}

/** The synthesizer for the app of `projectDirectory`: in-process when its command allows it, else the command. */
export function appSynthesizer(projectDirectory: string, cdk: CdkJson = readCdkJson(projectDirectory)): AppSynthesizer {
  // An ES-module app cannot be dropped from a module cache to load again: it runs as a command.
  const entry = isModuleProject(projectDirectory) ? undefined : inProcessEntry(cdk.app);
  return entry ? new WorkerSynthesizer(projectDirectory, cdk, entry) : new CommandSynthesizer(projectDirectory, cdk);
}

function isModuleProject(projectDirectory: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(projectDirectory, 'package.json'), 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

/** Runs the app command with CDK_OUTDIR and CDK_CONTEXT_JSON, as `cdk synth` does (without the CLI's own start). */
class CommandSynthesizer implements AppSynthesizer {
  readonly mode = 'command' as const;
  readonly command: string;
  private running: ChildProcess | undefined;
  constructor(private readonly cwd: string, private readonly cdk: CdkJson) {
    this.command = cdk.app;
  }
  synth(outdir: string): Promise<SynthOutcome> {
    return new Promise((done) => {
      const child = spawn(this.cdk.app, {
        cwd: this.cwd, shell: true, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(synthContext(this.cdk)), CDK_DISABLE_CLI_TELEMETRY: '1' },
      });
      this.running = child;
      let output = '';
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', (err) => done({ ok: false, error: err.message }));
      child.on('close', (code, signal) => {
        this.running = undefined;
        if (code === 0 && existsSync(join(outdir, 'manifest.json'))) done({ ok: true });
        else done({ ok: false, error: `\`${this.cdk.app}\` failed (exit ${code ?? signal}):\n${output.trim()}` });
      });
    });
  }
  close(): void {
    this.running?.kill();
  }
}

/** Keeps `synth-worker.cjs` alive in the project; restarts it when the app ended it (process.exit, a crash). */
class WorkerSynthesizer implements AppSynthesizer {
  readonly mode = 'in-process' as const;
  readonly command: string;
  private worker: { child: ChildProcess; ready: Promise<void> } | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (outcome: SynthOutcome) => void>();
  private closed = false;

  constructor(private readonly cwd: string, private readonly cdk: CdkJson, private readonly entry: { entry: string; loader: string }) {
    this.command = cdk.app;
    this.start();
  }

  private start(): { child: ChildProcess; ready: Promise<void> } {
    const child = fork(join(__dirname, 'synth-worker.cjs'), [this.entry.entry, this.entry.loader], {
      // execArgv: none of the runner's own (tsx under jest or the benchmarks would load the app differently).
      cwd: this.cwd, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' },
    });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    // Also on exit: a worker that dies while loading (no tsx in the project) answers the synth with why.
    const ready = new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.once('exit', () => resolve());
    });
    child.on('message', (m: { id?: number; ok?: boolean; error?: string }) => {
      if (m.id === undefined) return;
      const done = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      const printed = output.trim();
      output = '';
      done?.(m.ok ? { ok: true } : { ok: false, error: `${m.error ?? 'synth failed'}${printed ? `\n${printed}` : ''}` });
    });
    child.on('exit', (code, signal) => {
      if (this.worker?.child === child) this.worker = undefined;
      for (const [id, done] of this.waiting) {
        this.waiting.delete(id);
        done({ ok: false, error: `the app ended the synthesizer (exit ${code ?? signal}):\n${output.trim()}` });
      }
    });
    this.worker = { child, ready };
    return this.worker;
  }

  async synth(outdir: string, changed?: readonly string[]): Promise<SynthOutcome> {
    if (this.closed) return { ok: false, error: 'closed' };
    const worker = this.worker ?? this.start();
    await worker.ready;
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
      this.worker = undefined;
      return { ok: false, error: `the synthesizer for \`${this.command}\` ended before synthesizing (exit ${worker.child.exitCode ?? worker.child.signalCode})` };
    }
    const id = this.nextId++;
    return new Promise((done) => {
      this.waiting.set(id, done);
      worker.child.send({ id, outdir, context: synthContext(this.cdk), ...(changed ? { changed } : {}) });
    });
  }

  close(): void {
    this.closed = true;
    this.worker?.child.kill();
  }
}
