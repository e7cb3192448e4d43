import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A position in a source file, as esbuild reports it (line 1-based, column 0-based). */
export interface EsbuildLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly lineText: string;
}

/** An error or warning from esbuild. */
export interface EsbuildMessage {
  readonly text: string;
  readonly location: EsbuildLocation | null;
  readonly notes: ReadonlyArray<{ readonly text: string }>;
}

/** The part of esbuild's JavaScript API the in-process bundler uses. */
export interface EsbuildApi {
  readonly version: string;
  buildSync(options: Record<string, unknown>): {
    readonly warnings: EsbuildMessage[];
    readonly metafile?: unknown;
  };
  formatMessagesSync(messages: EsbuildMessage[], options: { kind: 'error' | 'warning'; color?: boolean }): string[];
}

const loaded = new Map<string, EsbuildApi | undefined>();

/**
 * The esbuild installed in the project being synthesized, as NodejsFunction uses it (`npx --no-install
 * esbuild` from `projectRoot`), or `undefined` when the project has none or it is not 0.x.
 * esbuild's module caches a worker thread, so every function of a synth shares one esbuild service.
 */
export function loadProjectEsbuild(projectRoot: string): EsbuildApi | undefined {
  if (loaded.has(projectRoot)) return loaded.get(projectRoot);
  let api: EsbuildApi | undefined;
  try {
    const candidate = require(require.resolve('esbuild', { paths: [projectRoot] })) as EsbuildApi;
    api = typeof candidate.buildSync === 'function' && /^0\./.test(candidate.version) ? candidate : undefined;
  } catch {
    api = undefined;
  }
  loaded.set(projectRoot, api);
  return api;
}

/**
 * Whether NodejsFunction could bundle locally: an esbuild package resolvable from `projectRoot` (any
 * version) or an `esbuild` command on PATH. Without either it would fall back to Docker.
 */
export function esbuildInstalled(projectRoot: string): boolean {
  // Node's lookup, by hand: node_modules/esbuild in projectRoot or any folder above it.
  for (let dir = path.resolve(projectRoot); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', 'esbuild', 'package.json'))) return true;
    if (path.dirname(dir) === dir) break;
  }
  return spawnSync('esbuild', ['--version'], { stdio: 'ignore', env: process.env }).status === 0;
}
