import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';

const REPO = join(__dirname, '..', '..', '..', '..');
/** Inside the repository so bundles resolve the externals (@aws-sdk/*) from its node_modules. */
const OUT_DIR = join(REPO, 'node_modules', '.cache', 'cdk-resilient-serverless-test-bundles');

/** Bundles a TypeScript handler the way a user's build would (minified CJS, SDK external) and returns the file. */
export function bundleFixture(entry: string, options: { minify?: boolean } = {}): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, `${basename(entry, '.ts')}-${process.pid}.cjs`);
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: options.minify ?? true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  return outfile;
}

/** Absolute path of a plain-JS fixture of the execution-model tests. */
export function fixture(name: string): string {
  return join(__dirname, '..', 'fixtures', name);
}
