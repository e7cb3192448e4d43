/*
 * npm run bench:warmer — one run, side by side:
 *   1. distinct environments warmed / requested: our warmer vs a naive fire-N-pings warmer, N = 1..50,
 *      on the Lambda-like local pool behind the local Invoke API (the same lab the tests use);
 *   2. bytes withResilience (and the circuit breaker) add to a minified handler bundle, SDK external;
 *   3. INIT time they add, measured as cold starts in the pool.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { FunctionPool } from '../../lib/local';
import { defaultHoldMs } from '../../lib/warmer/handler';
import { bundleFixture } from '../../test/local/execution/support/bundle-fixture';
import { Preexisting, WarmingLab } from '../../test/warmer/handler/support/warming-lab';

const REPO = join(__dirname, '..', '..');
const CONCURRENCIES = [1, 2, 5, 10, 20, 30, 40, 50];
const INIT_SAMPLES = 25;

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

async function warmingTable(): Promise<string> {
  const scenarios: [string, (n: number) => Preexisting][] = [
    ['empty pool', () => ({ idle: 0, busy: 0 })],
    ['N/2 idle', (n) => ({ idle: Math.floor(n / 2), busy: 0 })],
    ['N/4 idle + N/4 busy', (n) => ({ idle: Math.floor(n / 4), busy: Math.floor(n / 4) })],
  ];
  const rows: (string | number)[][] = [];
  for (const [label, pre] of scenarios) {
    for (const n of CONCURRENCIES) {
      const naiveLab = await WarmingLab.start();
      await naiveLab.prepare(pre(n));
      const naive = await naiveLab.warmNaively(n);
      const naiveBurst = await naiveLab.burst(n);
      await naiveLab.close();

      const oursLab = await WarmingLab.start();
      await oursLab.prepare(pre(n));
      const started = performance.now();
      const ours = await oursLab.warmWithOurs(n, defaultHoldMs(n));
      const took = performance.now() - started;
      const oursBurst = await oursLab.burst(n);
      await oursLab.close();

      const target = ours.summary!.targets[0];
      rows.push([label, n, `${ours.distinct}/${n}`, target.rounds, Math.round(took), oursBurst.cold, `${naive.distinct}/${n}`, naiveBurst.cold]);
    }
  }
  return table(
    ['pool before warming', 'N', 'ours: warmed', 'ours: rounds', 'ours: ms', 'ours: cold in burst of N', 'naive: warmed', 'naive: cold in burst of N'],
    rows,
  );
}

interface Variant {
  readonly label: string;
  readonly entry: string;
}

function bundleBytes(entry: string): { minified: number; gzip: number; loadsSdk: boolean } {
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'error',
  });
  const code = out.outputFiles[0].contents;
  const loadsSdk = /@aws-sdk\//.test(Buffer.from(code).toString('utf8'));
  return { minified: code.byteLength, gzip: gzipSync(code).byteLength, loadsSdk };
}

/** The runtime as the package ships it to bundlers: the ES-module build `npm run build` writes (tree-shakable). */
function shippedRuntime(): string {
  const file = join(REPO, 'dist', 'runtime', 'index.mjs');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}

async function medianInitMs(entry: string): Promise<number> {
  const handlerPath = bundleFixture(entry);
  const samples: number[] = [];
  for (let i = 0; i < INIT_SAMPLES; i++) {
    const pool = new FunctionPool({ functionName: 'init-probe', handlerPath, onLog: () => undefined });
    const result = await pool.invoke({});
    if (result.error) throw new Error(`${entry}: ${result.error.errorType}: ${result.error.errorMessage}`);
    samples.push(result.facts.initMs ?? NaN);
    await pool.close();
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function sizeAndInitTable(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-warmer-'));
  try {
    const shipped = shippedRuntime();
    const shippedEntry = (name: string, body: string) => {
      const file = join(dir, `${name}.ts`);
      writeFileSync(file, body.replace('RUNTIME', JSON.stringify(shipped)));
      return file;
    };
    const handlers = join(__dirname, 'handlers');
    const variants: Variant[] = [
      { label: 'hello (baseline)', entry: join(handlers, 'hello.ts') },
      { label: 'hello + withResilience (source, runtime/warmup)', entry: join(handlers, 'hello-with-resilience-only.ts') },
      { label: 'hello + withResilience (source, runtime index)', entry: join(handlers, 'hello-with-resilience.ts') },
      { label: 'hello + withResilience + CircuitBreaker (source)', entry: join(handlers, 'hello-with-resilience-and-breaker.ts') },
      {
        label: 'hello + withResilience (shipped ESM /runtime)',
        entry: shippedEntry(
          'shipped-warmup',
          `import { withResilience } from RUNTIME;\nexport const handler = withResilience(async () => ({ statusCode: 200, body: 'Hello, Serverless!' }));\n`,
        ),
      },
      {
        label: 'hello + withResilience + CircuitBreaker (shipped ESM /runtime)',
        entry: shippedEntry(
          'shipped-both',
          `import { CircuitBreaker, withResilience } from RUNTIME;\nconst breaker = new CircuitBreaker({ name: 'downstream', tableName: 'breaker-table' });\n` +
            `export const handler = withResilience(async (_e: unknown, context: any) => breaker.execute(async () => ({ statusCode: 200, body: 'Hello, Serverless!' }), context));\n`,
        ),
      },
    ];
    const base = bundleBytes(variants[0].entry);
    const baseInit = await medianInitMs(variants[0].entry);
    const rows: (string | number)[][] = [];
    for (const v of variants) {
      const size = bundleBytes(v.entry);
      const init = v === variants[0] ? baseInit : await medianInitMs(v.entry);
      rows.push([
        v.label,
        size.minified,
        v === variants[0] ? '-' : `+${size.minified - base.minified} (${((size.minified - base.minified) / 1024).toFixed(1)} KB)`,
        size.gzip,
        size.loadsSdk ? 'yes' : 'no',
        init.toFixed(2),
        v === variants[0] ? '-' : `${init - baseInit >= 0 ? '+' : ''}${(init - baseInit).toFixed(2)}`,
      ]);
    }
    return table(['handler bundle (minified, node24, cjs, @aws-sdk/* external)', 'bytes', 'added', 'gzip', 'references @aws-sdk', `INIT ms (median of ${INIT_SAMPLES})`, 'INIT added'], rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`Warmer benchmark — node ${process.version}, ${require('node:os').cpus().length} CPUs. Distinct environments are counted by the pool.`);
  console.log(`Our warmer uses its default hold (1 s + 20 ms per call); the naive warmer fires N concurrent pings the function answers at once.\n`);
  // `--size-only` skips the (minute-long) warming table.
  if (!process.argv.includes('--size-only')) {
    console.log(await warmingTable());
    console.log('');
  }
  console.log(await sizeAndInitTable());
  console.log('\nSize goal: withResilience + circuit breaker <= 15 KB added to a minified handler bundle (SDK external).');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
