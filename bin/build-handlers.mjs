// Pre-bundles the library-owned Lambda handlers so the package ships ready-to-deploy JavaScript:
// consumers never need our TypeScript sources or a bundler for them. Run by `npm run build`.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Handler entry points and where their bundles go: dist/handlers/<name>/index.js, one folder per handler
 * because the folder is the Lambda asset. Constructs find them there from lib/ (sources) and dist/ alike.
 */
const handlers = [{ entry: 'lib/warmer/handler/index.ts', outfile: 'dist/handlers/warmer/index.js' }];

for (const { entry, outfile } of handlers) {
  const result = await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // The Lambda Node.js runtime ships AWS SDK v3.
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(`bundled ${entry} -> ${outfile} (${bytes} bytes)`);
}
