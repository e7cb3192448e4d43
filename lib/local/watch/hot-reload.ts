import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, watch, FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { loadCloudAssembly, selectStacks } from '../assembly/cloud-assembly';
import { assembleOptDirectories } from '../layers/opt-directory';
import { buildAppModel } from '../model/app-model';
import type { AppModel, FunctionSpec } from '../model/specs';
import type { LocalRunner } from '../runner';
import { prepareHandlerSdk } from '../sdk/handler-sdk';
import { appSynthesizer, AppSynthesizer, readCdkJson } from './app-synthesizer';
import { AssemblyDiff, CodeHashes, diffAssemblies } from './assembly-diff';
import { SourceWatcher } from './source-watcher';

/** What `--watch` watches, and how the runner read the app at start (the new assemblies are read the same way). */
export interface WatchOptions {
  /**
   * A CDK project (its cdk.json): its sources are watched and the app re-synthesized into a temporary folder.
   * Without it, `assembly` is watched for a synth someone else runs (`cdk synth`, `cdk watch`).
   */
  readonly project?: string;
  /** The assembly directory the runner runs (watched without `project`). */
  readonly assembly: string;
  readonly stack?: string;
  readonly account?: string;
  readonly region?: string;
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /** Quiet time after the last change. @default 50 (project: an editor's save is a few events within ms), 300 (assembly: a synth writes many files) */
  readonly debounceMs?: number;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/** One reload, as `reload` events report it. */
export interface ReloadOutcome {
  /** `swapped`: functions serve new code; `unchanged`: nothing to swap; `failed`: the old code keeps serving. */
  readonly kind: 'swapped' | 'unchanged' | 'failed';
  /** Display names of the functions swapped. */
  readonly swapped: readonly string[];
  readonly needsRestart: readonly string[];
  readonly error?: string;
  /** From the (debounced) change to the new environments serving. */
  readonly totalMs: number;
  readonly synthMs: number;
  /** Resolves when the old environments of the swapped functions have drained and closed. */
  readonly drained: Promise<void>;
}

/** An output folder of one synth (with its /opt scratch), deleted once no function runs from it. */
interface Generation { readonly root: string; readonly outdir: string; readonly scratch: string }

/**
 * `local --watch`: on a change, synthesizes the app again (or reads the assembly again), compares it with what
 * runs, and swaps the changed functions' environments; routes, rules, tables (and their data) stay up. See
 * lib/local/README.md, "Watch".
 */
export class HotReload extends EventEmitter<{ reload: [outcome: ReloadOutcome] }> {
  /** Resolves after the first synth (project mode; it warms the synthesizer), at once otherwise. */
  readonly ready: Promise<void>;
  private readonly log: (line: string) => void;
  private readonly hashes = new CodeHashes();
  private readonly generations: Generation[] = [];
  private readonly synthesizer: AppSynthesizer | undefined;
  private readonly watcher: SourceWatcher | FSWatcher;
  private running: Promise<void> | undefined;
  private again: string[] | undefined;
  private lastError: string | undefined;
  private stopped = false;

  constructor(private readonly runner: LocalRunner, private readonly options: WatchOptions) {
    super();
    this.log = options.log ?? ((line) => console.log(line));
    if (options.project) {
      const project = resolve(options.project);
      const cdk = readCdkJson(project);
      this.synthesizer = appSynthesizer(project, cdk);
      const output = resolve(project, cdk.output);
      this.watcher = new SourceWatcher({
        root: project, debounceMs: options.debounceMs ?? 50, onChange: (files) => this.changed(files),
        exclude: [...cdk.watchExclude, ...(output.startsWith(project) ? [relative(project, output)] : [])],
      });
      this.log(`watching ${project} (${this.watcher.folders} folders): on a change, ${this.synthesizer.mode === 'in-process' ? 'a kept-alive synthesizer runs' : 'runs'} \`${cdk.app}\`, then the changed functions swap in`);
      this.ready = this.reload([], true);
    } else {
      let timer: NodeJS.Timeout | undefined;
      // The CDK writes manifest.json last: its change means a synth finished.
      this.watcher = watch(options.assembly, (_event, name) => {
        if (name?.toString() !== 'manifest.json') return;
        clearTimeout(timer);
        timer = setTimeout(() => this.changed(['manifest.json']), options.debounceMs ?? 300);
      });
      this.log(`watching ${resolve(options.assembly)}: after each \`cdk synth\` into it, the changed functions swap in`);
      this.ready = Promise.resolve();
    }
  }

  /** Stops watching (before the runner closes: no reload starts after this). */
  stopWatching(): void {
    this.stopped = true;
    this.watcher.close();
    this.synthesizer?.close();
  }

  /** Stops watching and deletes the synths' output (after the runner closed: its functions ran from there). */
  close(): void {
    this.stopWatching();
    for (const g of this.generations.splice(0)) rmSync(g.root, { recursive: true, force: true });
  }

  private changed(files: string[]): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = [...(this.again ?? []), ...files];
      return;
    }
    void this.reload(files, false);
  }

  private reload(files: string[], warmUp: boolean): Promise<void> {
    const run = this.reloadOnce(files, warmUp).catch((err: Error) => this.log(`watch: ${err.stack ?? err.message}`)).finally(() => {
      this.running = undefined;
      const next = this.again;
      this.again = undefined;
      if (next && !this.stopped) void this.reload(next, false);
    });
    this.running = run;
    return run;
  }

  private async reloadOnce(files: string[], warmUp: boolean): Promise<void> {
    const started = performance.now();
    if (files.length > 0) this.log(`${clockTime()} changed: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` (+${files.length - 3} more)` : ''}`);
    let generation: Generation | undefined;
    let diff: AssemblyDiff;
    let synthMs = 0;
    try {
      const root = mkdtempSync(join(tmpdir(), 'cdk-local-watch-'));
      generation = { root, outdir: this.synthesizer ? join(root, 'out') : this.options.assembly, scratch: join(root, 'scratch') };
      this.generations.push(generation);
      if (this.synthesizer) {
        const outcome = await this.synthesizer.synth(generation.outdir, warmUp ? undefined : files.map((f) => resolve(this.options.project!, f)));
        synthMs = performance.now() - started;
        if (this.stopped) return;
        if (!outcome.ok) throw new SynthError(outcome.error);
      }
      diff = diffAssemblies(this.runner.model, this.readModel(generation.outdir, generation.scratch), this.hashes);
      // A layer that cannot be put in /opt fails the reload like a synth error would.
      assembleOptDirectories(diff.changedFunctions.map((c) => c.spec));
    } catch (err) {
      if (generation) this.drop(generation);
      const error = err instanceof SynthError ? err.message : (err as Error).message;
      const repeated = error === this.lastError;
      this.lastError = error;
      this.log(repeated ? `${clockTime()} synth still fails with the same error; still serving the previous code` : `${clockTime()} synth failed; still serving the previous code:\n${indent(error)}`);
      this.emit('reload', { kind: 'failed', swapped: [], needsRestart: [], error, totalMs: performance.now() - started, synthMs, drained: Promise.resolve() });
      return;
    }
    if (this.stopped) return;
    this.lastError = undefined;
    const changed = diff.changedFunctions;
    prepareHandlerSdk(changed.map((c) => c.spec), this.log);
    // The swap itself is synchronous: from here new invocations reach the new environments.
    const drains = changed.map((c) => this.runner.functions.replace(c.spec));
    this.adopt(changed.map((c) => c.spec));
    const totalMs = performance.now() - started;
    const drained = Promise.allSettled(drains).then((outcomes) => {
      for (const o of outcomes) if (o.status === 'rejected') this.log(`${clockTime()} ${(o.reason as Error).message}`);
      this.collect(generation);
    });
    const timing = `${Math.round(totalMs)} ms${this.synthesizer ? `, synth ${Math.round(synthMs)} ms` : ''}`;
    const kept = this.runner.model.functions.length - changed.length;
    if (changed.length > 0) this.log(`${clockTime()} reloaded ${changed.map((c) => `${c.spec.displayName} (${c.why})`).join(', ')} in ${timing}; ${kept} unchanged function(s) keep their environments`);
    else if (warmUp) this.log(`${clockTime()} synthesizer ready (${timing}); the running app is up to date`);
    else this.log(`${clockTime()} no function changed (${timing})`);
    if (diff.needsRestart.length > 0) this.log(`${clockTime()} not swapped while running (restart \`local\` to serve them): ${diff.needsRestart.join('; ')}`);
    this.emit('reload', { kind: changed.length > 0 ? 'swapped' : 'unchanged', swapped: changed.map((c) => c.spec.displayName), needsRestart: diff.needsRestart, totalMs, synthMs, drained });
  }

  private readModel(outdir: string, scratch: string): AppModel {
    const assembly = loadCloudAssembly(outdir);
    const stacks = selectStacks(assembly, this.options.stack);
    const { account = this.runner.model.account, region = this.runner.model.region, parameterOverrides } = this.options;
    return buildAppModel(assembly, stacks, { account, region, scratchDirectory: scratch, ...(parameterOverrides ? { parameterOverrides } : {}) });
  }

  /** The runner's model names the new specs (the dashboard, logs and later diffs read it). */
  private adopt(specs: readonly FunctionSpec[]): void {
    const functions = this.runner.model.functions as FunctionSpec[];
    for (const spec of specs) {
      const i = functions.findIndex((f) => f.stackName === spec.stackName && f.logicalId === spec.logicalId);
      if (i >= 0) functions[i] = spec;
    }
  }

  /** Deletes the synths' output no function runs from any more (old environments have drained by now). */
  private collect(current: Generation | undefined): void {
    const inUse = (g: Generation) => g === current || this.runner.model.functions.some((f) => f.codeDirectory.startsWith(g.root) || f.optDirectory?.startsWith(g.root));
    for (const g of [...this.generations]) if (!inUse(g)) this.drop(g);
  }

  private drop(g: Generation): void {
    this.generations.splice(this.generations.indexOf(g), 1);
    this.hashes.forget(g.root);
    if (existsSync(g.root)) rmSync(g.root, { recursive: true, force: true });
  }
}

class SynthError extends Error {}

/** Starts `--watch` for a running runner (see HotReload). */
export function startWatch(runner: LocalRunner, options: WatchOptions): HotReload {
  return new HotReload(runner, options);
}

function clockTime(): string {
  return new Date().toISOString().slice(11, 23);
}

/** The error indented under its line, without Node's own stack frames (they say nothing about the app). */
function indent(text: string): string {
  return text.split('\n').filter((l) => !/^\s+at .*\(node:internal\//.test(l)).map((l) => `  ${l}`).join('\n');
}
