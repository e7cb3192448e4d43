import { LocalRunnerError } from '../errors';

/** What runner-cache.cjs exports (plain CommonJS shared with the execution environments). */
export interface RunnerCache {
  readonly CACHE_ENV: string;
  /** npm flags of every install into the cache: quiet, no scripts, and a dead registry fails in seconds. */
  readonly NPM_FLAGS: readonly string[];
  readonly RUNNER_PINS: Readonly<Record<string, string>>;
  readonly SDK_VERSION: string;
  readonly CacheInstallError: new (message: string, command: string) => Error & { readonly command: string };
  cacheRoot(env?: NodeJS.ProcessEnv): string;
  cacheDirectory(env?: NodeJS.ProcessEnv): string;
  resolveFrom(directory: string, request: string): string | undefined;
  missingRunnerPins(directory: string): string[];
  installRunnerDependencies(directory: string, log: (line: string) => void): void;
  installPackages(directory: string, names: readonly string[], log: (line: string) => void, reason: string): void;
  packagesCommand(directory: string, names: readonly string[]): string;
  withCacheLock(directory: string, work: () => void): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const runnerCache = require('./runner-cache.cjs') as RunnerCache;

/** A dependency of the runner itself (not of the handlers). */
export type RunnerDependency = 'dynalite' | '@aws-sdk/client-dynamodb';

/**
 * Where the runner's own dependencies come from: next to the library first (this repository, or an app that
 * installed them), else the runner's cache, filled on first use. Throws a LocalRunnerError whose message is
 * one line: the command to run when they are missing and npm cannot install them, or what failed to load.
 */
export function prepareRunnerDependencies(log: (line: string) => void): void {
  const names = Object.keys(runnerCache.RUNNER_PINS) as RunnerDependency[];
  if (names.some((name) => resolveBesideLibrary(name) === undefined)) {
    try {
      runnerCache.installRunnerDependencies(runnerCache.cacheDirectory(), log);
    } catch (err) {
      if (err instanceof runnerCache.CacheInstallError) throw new LocalRunnerError(err.message);
      throw err;
    }
  }
  // Loaded now, so a package that cannot load (a native build missing for this platform) stops the start first.
  for (const name of names) load(name);
}

/** Loads a dependency of the runner, installing the runner's dependencies into its cache first if needed. */
export function requireRunnerDependency<T>(name: RunnerDependency, log: (line: string) => void = (line) => console.log(line)): T {
  if (resolveBesideLibrary(name) === undefined && runnerCache.resolveFrom(runnerCache.cacheDirectory(), name) === undefined) prepareRunnerDependencies(log);
  return load(name) as T;
}

function load(name: RunnerDependency): unknown {
  const resolved = resolveBesideLibrary(name) ?? runnerCache.resolveFrom(runnerCache.cacheDirectory(), name);
  if (resolved === undefined) throw new LocalRunnerError(`The local runner cannot find ${name} in its cache ${runnerCache.cacheDirectory()}; delete that folder and start again.`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(resolved);
  } catch (err) {
    // E.g. dynalite's native classic-level without a prebuilt binary for this platform, or a damaged cache.
    throw new LocalRunnerError(`The local runner cannot load ${name} from ${resolved}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function resolveBesideLibrary(name: string): string | undefined {
  return runnerCache.resolveFrom(__dirname, name);
}
