import { FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders never watched: dependencies, version control, and assemblies (a synth writing one must not trigger another). */
const ALWAYS_IGNORED = new Set(['node_modules', '.git', 'cdk.out']);

export interface SourceWatcherOptions {
  /** The project directory; every folder under it is watched except the ignored ones. */
  readonly root: string;
  /** Paths relative to root, or cdk.json `watch.exclude` globs (`**`, `*`, `?`), to ignore. */
  readonly exclude?: readonly string[];
  /** Quiet time after the last change before `onChange` runs. @default 150 */
  readonly debounceMs?: number;
  /** Receives the files (relative to root) changed since the last call. */
  readonly onChange: (files: string[]) => void;
}

/**
 * Watches a project's source folders, one non-recursive `fs.watch` per folder (Node 20's recursive watch on Linux
 * would walk node_modules too), adding folders created later; editors' temporary files are ignored. Changes are
 * debounced: a save that writes several files, or a formatter running after it, makes one call.
 */
export class SourceWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly changed = new Set<string>();
  private readonly excluded: RegExp[];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: SourceWatcherOptions) {
    this.excluded = (options.exclude ?? []).map(globToRegExp);
    this.watchTree(options.root);
  }

  /** How many folders are watched. */
  get folders(): number {
    return this.watchers.size;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private ignored(path: string): boolean {
    const rel = relative(this.options.root, path).split(sep).join('/');
    if (rel === '') return false;
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (ALWAYS_IGNORED.has(name) || name.startsWith('.') || name.endsWith('~') || /\.sw[a-p]$/.test(name) || /^\d+$/.test(name)) return true;
    return this.excluded.some((r) => r.test(rel));
  }

  private watchTree(directory: string): void {
    if (this.closed || this.watchers.has(directory) || this.ignored(directory)) return;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
      const watcher = watch(directory, (_event, name) => name && this.onEvent(join(directory, name.toString())));
      watcher.on('error', () => this.forget(directory));
      this.watchers.set(directory, watcher);
    } catch {
      return; // removed meanwhile, or unreadable: nothing to watch
    }
    for (const entry of entries) if (entry.isDirectory()) this.watchTree(join(directory, entry.name));
  }

  private forget(directory: string): void {
    for (const [path, watcher] of this.watchers) {
      if (path === directory || path.startsWith(directory + sep)) {
        watcher.close();
        this.watchers.delete(path);
      }
    }
  }

  private onEvent(path: string): void {
    if (this.closed || this.ignored(path)) return;
    try {
      if (statSync(path).isDirectory()) {
        this.watchTree(path);
        return;
      }
    } catch {
      this.forget(path); // deleted (a file or a folder): a change all the same
    }
    this.changed.add(relative(this.options.root, path));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.changed];
      this.changed.clear();
      this.options.onChange(files);
    }, this.options.debounceMs ?? 150);
  }
}

/** cdk.json's `watch.exclude` globs: `**` any folders, `*` and `?` within a name; a plain name matches at any depth. */
export function globToRegExp(glob: string): RegExp {
  const parts = glob.replace(/\/+$/, '').split(/(\*\*\/|\*\*|\*|\?)/).filter((p) => p !== '');
  const body = parts.map((p) => {
    if (p === '**/') return '(.*/)?';
    if (p === '**') return '.*';
    if (p === '*') return '[^/]*';
    if (p === '?') return '[^/]';
    return p.replace(/[\\^$+.()|{}[\]]/g, '\\$&');
  }).join('');
  const anchored = glob.includes('/') ? `^${body}` : `(^|/)${body}`;
  return new RegExp(`${anchored}(/.*)?$`);
}
