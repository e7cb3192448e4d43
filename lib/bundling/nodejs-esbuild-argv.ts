import * as path from 'path';
import { BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Inputs that decide the esbuild command line, already resolved. */
export interface EsbuildArgvInputs {
  readonly bundling: BundlingOptions;
  /** esbuild `--target` when `bundling.target` is not set, e.g. `node24`. */
  readonly defaultTarget: string;
  readonly externals: ReadonlyArray<string>;
  readonly tsconfig?: string;
  readonly outputDir: string;
}

/** The file NodejsFunction writes: Lambda loads `index.mjs` as ESM and `index.js` as CommonJS. */
export function outputFileName(format: OutputFormat | undefined): string {
  return format === OutputFormat.ESM ? 'index.mjs' : 'index.js';
}

// Flags whose key:value form esbuild expects as `--flag:value`, not `--flag=value`.
const COLON_FLAGS = new Set(['--alias', '--drop', '--pure', '--log-override', '--out-extension']);

/**
 * `bundling.esbuildArgs` as command-line flags, with NodejsFunction's conventions: `true` or `''` is a
 * bare flag, an array repeats `--flag:item`, other falsy values are dropped.
 */
export function esbuildArgsToArgv(esbuildArgs: BundlingOptions['esbuildArgs']): string[] {
  const argv: string[] = [];
  for (const [flag, value] of Object.entries(esbuildArgs ?? {})) {
    if (Array.isArray(value)) argv.push(...value.map((item) => `${flag}:${item}`));
    else if (value === true || value === '') argv.push(flag);
    else if (COLON_FLAGS.has(flag)) argv.push(`${flag}:${value}`);
    else if (value) argv.push(`${flag}=${value}`);
  }
  return argv;
}

/**
 * The esbuild flags NodejsFunction (aws-cdk-lib 2.276, local bundling) passes after `--bundle <entry>`,
 * in the same order, so that later flags override earlier ones exactly as on its command line.
 * One intentional difference: `charset` is passed (aws-cdk-lib documents it but drops it, aws/aws-cdk#32649).
 */
export function nodejsFunctionEsbuildArgv(inputs: EsbuildArgvInputs): string[] {
  const b = inputs.bundling;
  const sourceMapEnabled = b.sourceMapMode ?? b.sourceMap;
  const sourceMapSuffix = (b.sourceMapMode ?? SourceMapMode.DEFAULT) === SourceMapMode.DEFAULT ? '' : `=${b.sourceMapMode}`;
  const sourcesContent = b.sourcesContent ?? true;
  return [
    `--target=${b.target ?? inputs.defaultTarget}`,
    '--platform=node',
    ...(b.format ? [`--format=${b.format}`] : []),
    `--outfile=${path.join(inputs.outputDir, outputFileName(b.format))}`,
    ...(b.minify ? ['--minify'] : []),
    ...(sourceMapEnabled ? [`--sourcemap${sourceMapSuffix}`] : []),
    ...(sourcesContent ? [] : ['--sources-content=false']),
    ...inputs.externals.map((name) => `--external:${name}`),
    ...Object.entries(b.loader ?? {}).map(([ext, loader]) => `--loader:${ext}=${loader}`),
    ...Object.entries(b.define ?? {}).map(([key, value]) => `--define:${key}=${value}`),
    ...(b.logLevel ? [`--log-level=${b.logLevel}`] : []),
    ...(b.keepNames ? ['--keep-names'] : []),
    ...(inputs.tsconfig ? [`--tsconfig=${inputs.tsconfig}`] : []),
    ...(b.metafile ? [`--metafile=${path.join(inputs.outputDir, 'index.meta.json')}`] : []),
    ...(b.banner ? [`--banner:js=${b.banner}`] : []),
    ...(b.footer ? [`--footer:js=${b.footer}`] : []),
    ...(b.mainFields ? [`--main-fields=${b.mainFields.join(',')}`] : []),
    ...(b.inject ? b.inject.map((file) => `--inject:${file}`) : []),
    ...(b.charset ? [`--charset=${b.charset}`] : []),
    ...esbuildArgsToArgv(b.esbuildArgs),
  ];
}
