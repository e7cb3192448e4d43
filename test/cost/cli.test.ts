import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/local/cli/main';
import { writeCostApp } from './handmade-app';

const app = writeCostApp();
const scratch = mkdtempSync(join(tmpdir(), 'cost-cli-'));
afterAll(() => {
  app.remove();
  rmSync(scratch, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['cost', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function trafficFile(content: unknown): string {
  const file = join(scratch, `traffic-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const HINT = "\nRun 'cdk-resilient-serverless cost --help' for usage.";

describe('cost: flags checked at start, exit 2, the flag, the value and what is allowed', () => {
  test.each([
    [['--region', 'eu-central-1'], '--region must be a region with recorded prices: us-east-1, us-east-2, eu-west-1 (lib/cost/prices.ts), got "eu-central-1"'],
    [['--requests-per-month', 'lots'], '--requests-per-month must be a number >= 0, got "lots"'],
    [['--requests-per-month=-5'], '--requests-per-month must be a number >= 0, got "-5"'],
    [['--peak-concurrency', '0'], '--peak-concurrency must be an integer from 1 to 100000, got "0"'],
    [['--peak-concurrency', '2.5'], '--peak-concurrency must be an integer from 1 to 100000, got "2.5"'],
    [['--avg-duration-ms', '0'], '--avg-duration-ms must be a number of milliseconds from 1 to 900000 (15 minutes), got "0"'],
    [['--init-ms', '700000'], '--init-ms must be a number of milliseconds from 0 to 600000 (INIT is capped at 10 s on demand, 10 minutes elsewhere), got "700000"'],
    [['--business-hours', '18-8'], "--business-hours must be hours 'START-END', UTC, Monday to Friday, 0 <= START < END <= 24 (e.g. '8-18'), got \"18-8\""],
    [['--business-hours', '9to5'], "--business-hours must be hours 'START-END', UTC, Monday to Friday, 0 <= START < END <= 24 (e.g. '8-18'), got \"9to5\""],
    [['--business-share', '1.5'], '--business-share must be a fraction from 0 to 1 (0.8 = 80% of the requests in business hours), got "1.5"'],
    [['--cold-start-budget', '101'], '--cold-start-budget must be a percentage from 0 to 100 (0.1 = one request in a thousand), got "101"'],
    [['--json=yes'], "option '--json' for 'cost' is a switch and takes no value, got '--json=yes'. Write just --json."],
    [['--regoin', 'us-east-1'], "unknown option '--regoin' for 'cost'. Did you mean --region?"],
  ])('%j', async (args, message) => {
    const r = await run(['--app', app.directory, ...args]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.startsWith(`error: ${message}`)).toBe(true);
    expect(r.err.endsWith(HINT)).toBe(true);
  });
});

describe('cost: the assembly and the traffic file, exit 1, naming the file, field and value', () => {
  test.each([
    [() => ['--app', '/nonexistent/cdk.out'], 'error: No cloud assembly at /nonexistent/cdk.out: the directory does not exist. Run `npx cdk synth` first or pass --app <cdk.out directory>.'],
    [() => ['--app', app.directory, '--stack', 'Nope'], `error: Unknown stack "Nope" (--stack): the assembly at ${app.directory} has App.`],
    [() => ['--app', app.directory, '--traffic', '/nonexistent.json'], 'error: Cannot read the traffic file /nonexistent.json (--traffic): ENOENT'],
  ])('%#', async (args, message) => {
    const r = await run(args());
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err.startsWith(message)).toBe(true);
  });

  test.each([
    ['{ not json', /is not valid JSON: /],
    [[1, 2], /must hold a JSON object with "default" and\/or "functions", got \[1,2\]$/],
    [{ defaults: {} }, /: unknown field "defaults"; allowed: default, functions$/],
    [{ default: { requests: 5 } }, /: unknown field "default.requests"; allowed: requestsPerMonth, peakConcurrency, avgDurationMs, initMs, businessHours, businessShare$/],
    [{ default: { requestsPerMonth: '5' } }, /: "default.requestsPerMonth" must be a number >= 0, got "5"$/],
    [{ functions: { Fixed: { initMs: -1 } } }, /: "functions.Fixed.initMs" must be a number of milliseconds from 0 to 600000 .*, got -1$/],
    [{ functions: { Fixed: { businessHours: '8-25' } } }, /: "functions.Fixed.businessHours" must be hours 'START-END'.*, got "8-25"$/],
    [{ functions: [] }, /: "functions" must be an object of function \(logical id or construct path\) → traffic, got \[\]$/],
    [{ functions: { Nope: {} } }, /: "functions.Nope" names no function of the assembly; functions: App\/Fixed, /],
  ])('%j', async (content, message) => {
    const file = trafficFile(content);
    const r = await run(['--app', app.directory, '--traffic', file]);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toMatch(new RegExp(`^error: (The traffic file )?${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    expect(r.err).toMatch(message);
  });
});

describe('cost: output', () => {
  const json = async (args: string[]) => {
    const r = await run(['--app', app.directory, '--json', ...args]);
    expect([r.code, r.err]).toEqual([0, '']);
    return JSON.parse(r.out) as { functions: Array<{ logicalId: string; traffic: { requestsPerMonth: number; source: string; avgDurationMs: number }; options: Array<{ label: string }>; skipped: Array<{ reason: string }>; recommendation: { reason: string } }> };
  };
  const of = (report: Awaited<ReturnType<typeof json>>, id: string) => report.functions.find((f) => f.logicalId === id)!;

  test('traffic layers: built-in < file default < flags < the function\'s own entry', async () => {
    const file = trafficFile({ default: { requestsPerMonth: 2_000_000, avgDurationMs: 50 }, functions: { Fixed: { requestsPerMonth: 4_000_000 }, 'App/Auto': { initMs: 900 } } });
    const report = await json(['--traffic', file, '--requests-per-month', '3000000']);
    expect(of(report, 'Fixed').traffic).toMatchObject({ requestsPerMonth: 4_000_000, avgDurationMs: 50, source: 'traffic file entry' });
    expect(of(report, 'Auto').traffic).toMatchObject({ requestsPerMonth: 3_000_000, avgDurationMs: 50, initMs: 900 });
    expect(of(report, 'Scheduled').traffic).toMatchObject({ requestsPerMonth: 3_000_000, avgDurationMs: 50, initMs: 250, source: 'default' });
    // Schedule-only functions run as often as their schedules fire: 7 a week × 730/168 = 30.4 a month.
    expect(of(report, 'Nightly').traffic.requestsPerMonth).toBeCloseTo(30.4167, 3);
  });

  test('each function lists its synthesized options and says why an option is not priced', async () => {
    const report = await json([]);
    expect(of(report, 'Fixed').options.map((o) => o.label)).toEqual(expect.arrayContaining(['on-demand', 'provisioned: fixed 4']));
    expect(of(report, 'Scheduled').options.map((o) => o.label)).toContain('provisioned: scheduled, 2 outside windows, Day 6-6, Evening 2-2');
    expect(of(report, 'Auto').options.map((o) => o.label)).toContain('provisioned: autoscaled 1-8 at 60%');
    expect(of(report, 'Warmed').options.map((o) => o.label)).toContain('warmer: 7 (Day)');
    expect(of(report, 'Nightly').skipped[0].reason).toMatch(/^runtime python3.9 cannot run on Managed Instances/);
    expect(of(report, 'Warmed').skipped[0].reason).toBe('no EC2 instance price recorded for x86_64 in this region (lib/cost/prices.ts)');
    expect(of(report, 'Nightly').recommendation.reason).toMatch(/^invoked only by schedules \(~30 runs\/month\): no caller waits on a cold start/);
  });

  test('the table: a block per function, the recommendations, the assumptions', async () => {
    const r = await run(['--app', app.directory, '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Cost advisor: 8 function\(s\) in .*, eu-west-1 prices \(USD per month\)$/m);
    expect(r.out).toMatch(/^App\/Fixed \(Fixed\): 1024 MB arm64 nodejs24\.x$/m);
    expect(r.out).toMatch(/^ {2}\| provisioned: fixed 4 +\| [\d.]+ +\| 0 +\|$/m);
    expect(r.out).toMatch(/^Recommendations:$/m);
    expect(r.out).toMatch(/^- INIT is billed as duration on every cold start \(on-demand ZIP functions since 2025-08-01/m);
  });

  test('no traffic: no warmer or provisioned concurrency to size, only what the app synthesized', async () => {
    const fixed = of(await json(['--requests-per-month', '0']), 'Fixed');
    expect(fixed.options.map((o) => o.label)).toEqual(['on-demand', 'provisioned: fixed 4', 'managed instances: 3 × m7g.large']);
    expect(fixed.recommendation.reason).toMatch(/^~0 cold starts\/month/);
  });

  test('a tighter cold-start budget turns the recommendation from on-demand to keeping environments warm', async () => {
    const loose = of(await json(['--cold-start-budget', '1']), 'Fixed').recommendation.reason;
    const tight = of(await json(['--cold-start-budget', '0']), 'Fixed').recommendation.reason;
    expect(loose).toMatch(/^~[\d,.]+ cold starts\/month \(within 1% of requests\) for \$[\d.]+; the cheapest keep-warm option \(.+\) costs \$[\d.]+$/);
    expect(tight).toMatch(/^keeps up to \d+ warm for \$[\d.]+ vs [\w-]+ (\(suggested\)|as synthesized) \$[\d.]+, ~0 cold starts\/month; on-demand would see ~[\d,]+ cold starts\/month \(\$[\d.]+\), over 0% of requests$/);
  });
});
