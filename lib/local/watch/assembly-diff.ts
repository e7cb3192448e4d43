import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AppModel, FunctionSpec } from '../model/specs';

/** What changed between the assembly the runner serves and a new one. */
export interface AssemblyDiff {
  /** Functions whose code or configuration changed: the new spec of each, to swap in. */
  readonly changedFunctions: ReadonlyArray<{ readonly spec: FunctionSpec; readonly why: string }>;
  /** Parts the runner cannot swap while running (routes, rules, tables, functions added or removed), said in words. */
  readonly needsRestart: readonly string[];
}

/**
 * Compares two models: a function changed when its code (the files of its code directory, hashed) or anything of
 * its configuration (handler, runtime, environment, memory, timeout, concurrency, aliases, layers' content)
 * differs; every other part of the model (APIs, rules, schedules, buses, tables, queues, ...) is compared whole.
 */
export function diffAssemblies(running: AppModel, next: AppModel, hashes: CodeHashes): AssemblyDiff {
  const needsRestart: string[] = [];
  const key = (f: FunctionSpec) => `${f.stackName}/${f.logicalId}`;
  const before = new Map(running.functions.map((f) => [key(f), f]));
  const after = new Map(next.functions.map((f) => [key(f), f]));
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  if (added.length > 0) needsRestart.push(`functions added: ${added.join(', ')}`);
  if (removed.length > 0) needsRestart.push(`functions removed: ${removed.join(', ')}`);

  const changedFunctions: Array<{ spec: FunctionSpec; why: string }> = [];
  for (const [k, spec] of after) {
    const old = before.get(k);
    if (!old) continue;
    const why: string[] = [];
    if (hashes.ofCode(old) !== hashes.ofCode(spec)) why.push('code');
    const a = configuration(old, hashes);
    const b = configuration(spec, hashes);
    for (const field of Object.keys({ ...a, ...b })) if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) why.push(field);
    if (old.functionName !== spec.functionName) needsRestart.push(`${k} is named ${spec.functionName} now`);
    else if (why.length > 0) changedFunctions.push({ spec, why: why.join(', ') });
  }

  // Every other part of the model is compared whole, parts added to the model later included.
  const parts = Object.keys(next).filter((k) => !NOT_COMPARED.has(k)) as Array<keyof AppModel>;
  for (const part of parts) if (stable(running[part]) !== stable(next[part])) needsRestart.push(`${PART_NAMES[part] ?? part} changed`);
  return { changedFunctions, needsRestart };
}

/** Functions are compared one by one; the rest says what the runner skipped or noted, not what it serves. */
const NOT_COMPARED = new Set(['functions', 'account', 'region', 'unsupported', 'inert', 'notes']);
const PART_NAMES: Partial<Record<string, string>> = {
  apis: 'APIs or routes', buses: 'event buses', rules: 'rules', schedules: 'schedules', tables: 'tables', queues: 'queues',
  asyncConfigs: 'asynchronous invocation settings', functionTargets: 'aliases or versions',
};

/** A function's configuration, paths of the assembly left out (they differ between two synths of the same app). */
function configuration(spec: FunctionSpec, hashes: CodeHashes): Record<string, unknown> {
  const { codeDirectory, handlerPath, optDirectory, layers, ...rest } = spec;
  return {
    ...rest,
    handlerPath: relative(codeDirectory, handlerPath),
    layers: (layers ?? []).map((l) => ({ arn: l.arn, content: hashes.ofPath('directory' in l.content ? l.content.directory : l.content.zip) })),
  };
}

/** JSON with Maps as entry lists, so two models read from equal templates compare equal. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v));
}

/**
 * Content hashes of code directories and layer files (source maps left out), by path: an assembly's asset folders
 * never change once written, so each is hashed once however many edits follow.
 */
export class CodeHashes {
  private readonly byPath = new Map<string, string>();

  ofCode(spec: FunctionSpec): string {
    return this.ofPath(spec.codeDirectory);
  }

  ofPath(path: string): string {
    let hash = this.byPath.get(path);
    if (hash === undefined) {
      const h = createHash('sha256');
      hashInto(h, path, path);
      hash = h.digest('hex');
      this.byPath.set(path, hash);
    }
    return hash;
  }

  /** Forgets the paths under a folder that was deleted (an old synth's output). */
  forget(folder: string): void {
    for (const path of this.byPath.keys()) if (path === folder || path.startsWith(`${folder}/`)) this.byPath.delete(path);
  }
}

function hashInto(h: ReturnType<typeof createHash>, root: string, path: string): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    h.update(`missing:${relative(root, path)}\0`);
    return;
  }
  if (!stat.isDirectory()) {
    h.update(`file:${relative(root, path)}:${stat.mode & 0o111 ? 'x' : '-'}\0`);
    h.update(readFileSync(path));
    return;
  }
  // Source maps are left out: they name the sources relative to the output folder, which differs between two
  // synths of the same code (the CLI's cdk.out, the watcher's temporary folders), and they change no behaviour.
  for (const name of readdirSync(path).sort()) if (!name.endsWith('.map')) hashInto(h, root, join(path, name));
}
