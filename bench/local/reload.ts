/*
 * npm run bench:reload (also the last part of npm run bench:local) — the edit loop of the example app (bin/, as a
 * user's project: see example-project.ts): edit the Hello handler's answer, then time until GET /hello answers
 * with the new text. Side by side:
 *   - `local --watch`: the file watcher (debounced), the kept-alive synthesizer, the assembly diff, the swap of the
 *     changed functions and the new environment's cold start are all inside the measured time;
 *   - a full restart: stop the runner, `npx cdk synth`, start the runner, first request (what every edit cost
 *     before --watch). The runner runs in this process in both (the CLI's own start, ~0.3 s, is not counted).
 * Prints p50/p95 over EDITS edits (RESTARTS for the restart loop, which takes seconds per edit).
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalRunner, LocalRunner } from '../../lib/local';
import { ReloadOutcome, startWatch } from '../../lib/local/watch/hot-reload';
import { exampleProject } from './example-project';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const EDITS = Number(process.env.EDITS ?? 20);
const RESTARTS = Number(process.env.RESTARTS ?? 5);

function helloSource(text: string): string {
  return `import type { APIGatewayProxyResult } from 'aws-lambda';\n\nexport const handler = async (): Promise<APIGatewayProxyResult> => ({\n  statusCode: 200,\n  headers: { 'content-type': 'text/plain' },\n  body: ${JSON.stringify(text)},\n});\n`;
}

async function answer(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}

/** Polls until `url` answers `expected`; the time from `since`. */
async function until(url: string, expected: string, since: number): Promise<number> {
  for (;;) {
    if ((await answer(url).catch(() => '')) === expected) return performance.now() - since;
    if (performance.now() - since > 60_000) throw new Error(`${url} did not answer ${JSON.stringify(expected)} within 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function synth(project: string): void {
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', 'cdk.out'], { cwd: project, stdio: 'ignore', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' } });
  if (result.status !== 0) throw new Error(`cdk synth failed in ${project}`);
}

const start = (project: string) => startLocalRunner({ assembly: join(project, 'cdk.out'), port: 0, log: () => undefined, dashboard: false });
const helloUrl = (runner: LocalRunner) => `${runner.apis.find((a) => a.kind === 'http')!.url}/hello`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const project = exampleProject();
  const hello = join(project, 'bin', 'handlers', 'hello.ts');
  try {
    synth(project);
    let runner = await start(project);
    const watch = startWatch(runner, { project, assembly: join(project, 'cdk.out'), log: process.env.VERBOSE ? (l) => console.log(l) : () => undefined });
    const synths: number[] = [];
    watch.on('reload', (o: ReloadOutcome) => synths.push(o.synthMs));
    await watch.ready;
    await answer(helloUrl(runner));
    const watched: number[] = [];
    for (let i = 1; i <= EDITS; i++) {
      const text = `Hello, edit ${i}!`;
      const t0 = performance.now();
      writeFileSync(hello, helloSource(text));
      watched.push(await until(helloUrl(runner), text, t0));
      await new Promise((r) => setTimeout(r, 300)); // let the old environments drain, as between two saves
    }
    watch.stopWatching();
    await runner.close();
    watch.close();

    const restarts: number[] = [];
    for (let i = 1; i <= RESTARTS; i++) {
      const text = `Hello, restart ${i}!`;
      writeFileSync(hello, helloSource(text));
      const t0 = performance.now();
      synth(project);
      runner = await start(project);
      restarts.push(await until(helloUrl(runner), text, t0));
      await runner.close();
    }
    const row = (name: string, v: number[]) => `| ${name} | ${v.length} | ${Math.round(percentile(v, 50))} | ${Math.round(percentile(v, 95))} | ${Math.round(Math.min(...v))} | ${Math.round(Math.max(...v))} |`;
    console.log(`\nbench:reload — example app, edit Hello's answer -> first GET /hello with it, node ${process.version}, ${require('node:os').cpus().length} CPUs`);
    console.log('| loop | edits | p50 ms | p95 ms | min ms | max ms |');
    console.log('|---|---|---|---|---|---|');
    console.log(row('local --watch (hot swap)', watched));
    console.log(row('full restart (stop, cdk synth, start)', restarts));
    console.log(`\n--watch synth alone (kept-alive synthesizer, edits only): p50 ${Math.round(percentile(synths.slice(1), 50))} ms, p95 ${Math.round(percentile(synths.slice(1), 95))} ms`);
  } finally {
    if (!process.env.KEEP) rmSync(project, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err: Error) => {
  console.error(err);
  process.exit(1);
});
