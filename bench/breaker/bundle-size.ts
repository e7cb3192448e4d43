import { build } from 'esbuild';
import { join } from 'node:path';

const RUNTIME = join(__dirname, '../../lib/runtime');

/** Size goal of issue 11: what `withResilience` + `CircuitBreaker` may add to a handler bundle. */
export const BUNDLE_GOAL_BYTES = 12 * 1024;

/** What the runtime adds to a handler bundle: the handler importing both, and one importing the breaker only. */
export interface BundleSizes {
  /** `withResilience` + `CircuitBreaker`. */
  readonly handler: number;
  /** `CircuitBreaker` alone. */
  readonly breakerOnly: number;
}

/**
 * Minified bytes of an ES-module handler bundle holding `names` from lib/runtime, as a user's esbuild would
 * produce it for Lambda (AWS SDK external: the runtime ships it). The entry only re-exports them, so the
 * figure is what the library adds, without any handler code of its own.
 */
async function bundleBytes(names: string[]): Promise<number> {
  const out = await build({
    stdin: { contents: `export { ${names.join(', ')} } from ${JSON.stringify(RUNTIME)};`, resolveDir: __dirname, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].contents.length;
}

export async function bundleSizes(): Promise<BundleSizes> {
  return { handler: await bundleBytes(['withResilience', 'CircuitBreaker']), breakerOnly: await bundleBytes(['CircuitBreaker']) };
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`;

/** The two figures as printed by the benchmark, the first against the goal. */
export function describeBundleSizes({ handler, breakerOnly }: BundleSizes): string {
  const verdict = handler <= BUNDLE_GOAL_BYTES ? 'within' : 'over';
  return [
    `Bundle (ESM, minified, SDK external): withResilience + CircuitBreaker ${kib(handler)}, ${verdict} the ${BUNDLE_GOAL_BYTES / 1024} KiB goal`,
    `Bundle (ESM, minified, SDK external): CircuitBreaker only ${kib(breakerOnly)}`,
  ].join('\n');
}

if (require.main === module) {
  bundleSizes().then((sizes) => console.log(describeBundleSizes(sizes)), (error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
