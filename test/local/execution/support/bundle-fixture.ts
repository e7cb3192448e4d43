import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';

const REPO = join(__dirname, '..', '..', '..', '..');
/** Inside the repository so bundles resolve the externals (@aws-sdk/*) from its node_modules. */
const OUT_DIR = join(REPO, 'node_modules', '.cache', 'cdk-resilient-serverless-test-bundles');

/**
 * Bundles a TypeScript handler the way a user's build would (minified CJS, SDK external) and returns the file.
 * Named by content, so parallel test workers share it and reruns do not pile up files.
 */
export function bundleFixture(entry: string, options: { minify?: boolean } = {}): string {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: options.minify ?? true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const outfile = join(OUT_DIR, `${basename(entry, '.ts')}-${hash}.cjs`);
  if (!existsSync(outfile)) {
    mkdirSync(OUT_DIR, { recursive: true });
    const partial = `${outfile}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, outfile);
  }
  return outfile;
}

/** Absolute path of a plain-JS fixture of the execution-model tests. */
export function fixture(name: string): string {
  return join(__dirname, '..', 'fixtures', name);
}
