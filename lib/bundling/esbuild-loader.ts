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
