import { build } from 'esbuild';
import { join } from 'node:path';

/** Minified size of the runtime breaker as a Lambda bundle would hold it (AWS SDK external: the runtime ships it). */
export async function breakerBundleBytes(): Promise<number> {
  const out = await build({
    entryPoints: [join(__dirname, '../../lib/runtime/circuit-breaker/index.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@aws-sdk/*', '@smithy/*'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].contents.length;
}
