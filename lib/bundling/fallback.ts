import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** An input that keeps a function on NodejsFunction's own (out-of-process) bundling, and why. */
export interface InProcessFallback {
  /** The option or situation, as a user would name it. */
  readonly option: string;
  /** Why an in-process esbuild build cannot honour it. */
  readonly reason: string;
}

const DOCKER_ONLY = 'only affects Docker bundling; NodejsFunction keeps its own choice of Docker vs. local esbuild';

/**
 * Bundling options that send a function to NodejsFunction's own bundling.
 * Keys mapped to `undefined` never force a fallback when set to `false`.
 */
const FALLBACK_BY_BUNDLING_KEY: Record<string, string> = {
  nodeModules: 'installs packages into the asset with the project\'s package manager (npm ci / yarn / pnpm / bun)',
  commandHooks: 'runs user shell commands before bundling, before install and after bundling',
  preCompilation: 'compiles the entry with tsc before esbuild',
  forceDockerBundling: 'asks for bundling inside a Docker container',
  dockerImage: DOCKER_ONLY,
  buildArgs: DOCKER_ONLY,
  esbuildVersion: 'selects the esbuild version installed in the Docker bundling image',
  bundlingFileAccess: DOCKER_ONLY,
  volumes: DOCKER_ONLY,
  volumesFrom: DOCKER_ONLY,
  user: DOCKER_ONLY,
  securityOpt: DOCKER_ONLY,
  network: DOCKER_ONLY,
  platform: DOCKER_ONLY,
  entrypoint: DOCKER_ONLY,
  command: DOCKER_ONLY,
  workingDirectory: DOCKER_ONLY,
  environment: 'sets environment variables for the esbuild process (e.g. NODE_PATH) and hooks; a build inside the synth process cannot scope them to one function',
};

/** Bundling options an in-process build reproduces exactly (see nodejs-esbuild-argv.ts). */
const HONOURED_BUNDLING_KEYS = new Set([
  'minify', 'sourceMap', 'sourceMapMode', 'sourcesContent', 'target', 'loader', 'logLevel', 'keepNames',
  'tsconfig', 'metafile', 'banner', 'footer', 'charset', 'define', 'externalModules', 'bundleAwsSDK',
  'esbuildArgs', 'format', 'mainFields', 'inject', 'assetHash',
]);

/** Boolean options whose `false` is the default and so changes nothing. */
const HARMLESS_WHEN_FALSE = new Set(['forceDockerBundling', 'preCompilation']);

/**
 * Every input that makes `bundleInProcess` return `undefined`, for documentation (API.md).
 */
export const IN_PROCESS_FALLBACKS: ReadonlyArray<InProcessFallback> = [
  ...Object.entries(FALLBACK_BY_BUNDLING_KEY).map(([key, reason]) => ({ option: `bundling.${key}`, reason })),
  {
    option: 'bundling.esbuildArgs with a flag outside the translation table',
    reason: 'only flags with a known esbuild JavaScript API equivalent are translated (see esbuild-cli-translation.ts)',
  },
  { option: 'bundling options unknown to this library', reason: 'a newer aws-cdk-lib option whose effect is not reproduced yet' },
  { option: 'entry omitted', reason: 'NodejsFunction derives it from the call site of its constructor' },
  {
    option: 'runtime of another family, a Node.js runtime up to 16.x, or one whose name has no version',
    reason: 'NodejsFunction rejects these or treats them specially (AWS SDK v2); its own checks and messages apply',
  },
  {
    option: 'entry without a .js/.jsx/.ts/.tsx/.mjs/.mts/.cjs/.cts extension, lock file missing or ambiguous, entry or lock file outside projectRoot, sourceMapMode with sourceMap: false',
    reason: 'NodejsFunction reports these with its own validation errors',
  },
  {
    option: 'esbuild not resolvable from projectRoot, or not version 0.x',
    reason: 'NodejsFunction then uses an esbuild on PATH or reports the version mismatch; with no esbuild at all, synth fails naming `npm install --save-dev esbuild` instead of falling back to Docker',
  },
];

/**
 * Why these bundling options cannot be honoured in-process, or `undefined` when they can.
 */
export function bundlingOptionsFallbackReason(bundling: BundlingOptions | undefined): string | undefined {
  for (const [key, value] of Object.entries(bundling ?? {})) {
    if (value === undefined || HONOURED_BUNDLING_KEYS.has(key)) continue;
    if (value === false && HARMLESS_WHEN_FALSE.has(key)) continue;
    const reason = FALLBACK_BY_BUNDLING_KEY[key] ?? 'unknown to the in-process bundler';
    return `bundling.${key}: ${reason}`;
  }
  return undefined;
}
