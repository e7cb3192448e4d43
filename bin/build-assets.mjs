// The part of `npm run build` that jsii does not do (it emits one .js per .ts, nothing else):
// - pre-bundles the library-owned Lambda handlers, so consumers deploy ready JavaScript and never need
//   our TypeScript sources or a bundler for them;
// - builds an ES-module copy of `/runtime`, which consumers' bundlers can tree-shake (a handler that
//   imports only `withResilience` does not carry the circuit breaker);
// - copies plain JavaScript files (the execution model's worker, the SDK resolution hooks) and the runner's
//   dependency lock (lib/local/dependencies/lock) and the local dashboard's page (lib/local/dashboard/page) next
//   to their compiled siblings.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The Lambda Node.js runtime ships AWS SDK v3, so it stays out of every bundle.
const common = { bundle: true, platform: 'node', target: 'node24', external: ['@aws-sdk/*'], metafile: true, logLevel: 'warning' };

/**
 * One folder per handler (the folder is the Lambda asset): dist/handlers/<name>/index.js.
 * Constructs find them there from lib/ (sources) and dist/ (compiled) alike.
 */
const outputs = [
  { entry: 'lib/warmer/handler/index.ts', outfile: 'dist/handlers/warmer/index.js', format: 'cjs', minify: true },
  { entry: 'lib/runtime/index.ts', outfile: 'dist/runtime/index.mjs', format: 'esm', minify: false },
];
for (const { entry, ...options } of outputs) {
  const result = await build({ ...common, ...options, entryPoints: [join(root, entry)], outfile: join(root, options.outfile) });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(`bundled ${entry} -> ${options.outfile} (${bytes} bytes)`);
}

for (const file of readdirSync(join(root, 'lib'), { recursive: true })) {
  const copied = [join('local', 'dependencies', 'lock'), join('local', 'dashboard', 'page')].some((folder) => String(file).startsWith(folder + '/'));
  if (/\.(cjs|mjs)$/.test(String(file)) || copied) {
    const to = join(root, 'dist', String(file));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(root, 'lib', String(file)), to);
    console.log(`copied lib/${file} -> ${relative(root, to)}`);
  }
}
