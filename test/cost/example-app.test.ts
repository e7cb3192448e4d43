import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/local/cli/main';
import { synthesizeExample, SynthesizedAssembly } from '../local/support/example-assembly';

/*
 * The example app (bin/example-stack.ts) synthesized as users do, priced in-process and by the built CLI
 * (dist/local/cli/main.js, what the package's bin runs): both read the synthesized warmer schedules and
 * provisioned concurrency, and agree to the cent.
 */
let example: SynthesizedAssembly;
beforeAll(() => {
  example = synthesizeExample({ pricingUrl: 'http://127.0.0.1:9/quote', fixtures: false });
});
afterAll(() => example?.remove());

interface Report {
  functions: Array<{ path: string; traffic: { requestsPerMonth: number; source: string }; options: Array<{ label: string; monthlyUsd: number; coldStartsPerMonth: number }>; recommendation: { option: string; reason: string } }>;
}

async function report(args: string[] = []): Promise<Report> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['cost', '--app', example.directory, '--json', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  expect([code, err.join('\n')]).toEqual([0, '']);
  return JSON.parse(out.join('\n')) as Report;
}

const fn = (r: Report, path: string) => r.functions.find((f) => f.path === path)!;

test("every function of the example, with the options its constructs synthesized", async () => {
  const r = await report();
  expect(r.functions.map((f) => f.path)).toEqual(['Hello', 'Quote', 'ResilientWarmer', 'ProcessOrder', 'NightlyReport']);
  expect(fn(r, 'Hello').options.map((o) => o.label)).toContain('provisioned: autoscaled 1-10 at 70%, BusinessHours 5-20, Night 1-10');
  expect(fn(r, 'Quote').options.map((o) => o.label)).toContain('warmer: 10 (BusinessHours), 2 (Nights)');
  // The warmer and the nightly report run as their schedules fire: (600 + 1176) and 7 a week, × 730/168.
  expect(fn(r, 'ResilientWarmer').traffic.requestsPerMonth).toBeCloseTo(1776 * 730 / 168, 6);
  expect(fn(r, 'NightlyReport').traffic.requestsPerMonth).toBeCloseTo(7 * 730 / 168, 6);
  expect(fn(r, 'NightlyReport').recommendation.reason).toMatch(/^invoked only by schedules/);
  for (const f of r.functions) {
    expect(f.options[0].label).toBe('on-demand');
    expect(f.options.every((o) => Number.isFinite(o.monthlyUsd) && o.monthlyUsd > 0 && o.coldStartsPerMonth >= 0)).toBe(true);
  }
});

test("business-hours traffic: the Quote warmer's weekend gap shows as cold starts the suggested warmer avoids", async () => {
  const r = await report(['--business-hours', '8-18', '--requests-per-month', '5000000', '--peak-concurrency', '20']);
  const quote = fn(r, 'Quote');
  const synthesized = quote.options.find((o) => o.label === 'warmer: 10 (BusinessHours), 2 (Nights)')!;
  const suggested = quote.options.find((o) => o.label === "warmer (suggested): each hour's peak (3-20)")!;
  const onDemand = quote.options[0];
  expect(synthesized.coldStartsPerMonth).toBeLessThan(onDemand.coldStartsPerMonth);
  expect(suggested.coldStartsPerMonth).toBeLessThan(synthesized.coldStartsPerMonth);
  expect(suggested.monthlyUsd).toBeGreaterThan(onDemand.monthlyUsd);
});

test('the built CLI (dist) prints the same report', () => {
  const bin = join(__dirname, '..', '..', 'dist', 'local', 'cli', 'main.js');
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'cost', 'advisor.js'))) throw new Error(`${bin} has no cost command yet: run \`npm run build\` first`);
  const built = spawnSync(process.execPath, [bin, 'cost', '--app', example.directory, '--json'], { encoding: 'utf8' });
  expect([built.status, built.stderr]).toEqual([0, '']);
  return report().then((inProcess) => expect(JSON.parse(built.stdout)).toEqual(inProcess));
});

test("the README's cost output for the example app is what the command prints", async () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const command = '$ npx cdk-resilient-serverless cost --app cdk.out\n';
  const start = readme.indexOf(command);
  expect(start).toBeGreaterThan(0);
  const documented = readme.slice(start + command.length, readme.indexOf('\n```', start));
  const out: string[] = [];
  expect(await main(['cost', '--app', example.directory], { out: (s) => out.push(s), err: () => undefined })).toBe(0);
  expect(documented).toBe(out.join('\n').replace(` in ${example.directory},`, ' in cdk.out,'));
});
