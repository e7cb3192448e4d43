/*
 * npm run bench:local — our local runner side by side with serverless-offline 13.10.1 (serverless 3.40.0, its
 * default worker-thread mode: like ours, one request at a time per handler instance), in one run, for the same
 * bundled hello handler behind a REST (v1) and an HTTP API (v2) route:
 *   - warm requests per second and p50/p99 latency, load from autocannon in a second process;
 *   - a cold burst of 20 concurrent requests right after start: time to the last answer, handler loads caused;
 *   - the memory (RSS) of the server and its child processes after the load, and its start-up time.
 * The peer and autocannon are installed into bench/local/peer from its own lock on first run.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { BUILD, bundleHandler, builtRunnerCli, installPeer, PEER, synthesizeBenchApp, writePeerService } from './prepare';

const CONNECTIONS = 10;
const SECONDS = 5;
const BURST = 20;

interface Server {
  readonly name: string;
  readonly restUrl: string;
  readonly httpUrl: string;
  readonly readyUrl: string;
  readonly process: ChildProcess;
  readonly loadsFile: string;
  startMs: number;
}

interface Result {
  startMs: number;
  burstMs: number;
  burstLoads: number;
  burstOk: number;
  rest: Load;
  http: Load;
  rssMb: number;
}
interface Load { rps: number; p50: number; p99: number; mean: number; non2xx: number; errors: number }

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitReady(server: Server, started: number): Promise<void> {
  for (;;) {
    if (server.process.exitCode !== null) throw new Error(`${server.name} exited with ${server.process.exitCode} before it was ready`);
    try {
      // A path with no route: the server answers without loading any handler.
      await get(server.readyUrl);
      server.startMs = performance.now() - started;
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

function load(url: string, seconds: number): Load {
  const out = execFileSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'load.ts'), url, String(CONNECTIONS), String(seconds)], { encoding: 'utf8' });
  return JSON.parse(out) as Load;
}

/** Memory of the server and every process under it (our runner's child-process environments, the peer's workers). */
function rssMb(pid: number): number {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, parent] of rows) if (tree.has(parent) && !tree.has(p)) grew = tree.add(p).size > 0;
  }
  return rows.filter(([p]) => tree.has(p)).reduce((sum, [, , rss]) => sum + rss, 0) / 1024;
}

async function measure(server: Server): Promise<Result> {
  const started = performance.now();
  await waitReady(server, started);
  const burstStart = performance.now();
  const statuses = await Promise.all(Array.from({ length: BURST }, () => get(server.httpUrl)));
  const burstMs = performance.now() - burstStart;
  const burstLoads = readFileSync(server.loadsFile, 'utf8').split('\n').filter(Boolean).length;
  load(server.restUrl, 2); // warm-up, discarded
  const rest = load(server.restUrl, SECONDS);
  const http = load(server.httpUrl, SECONDS);
  return { startMs: server.startMs, burstMs, burstLoads, burstOk: statuses.filter((s) => s === 200).length, rest, http, rssMb: rssMb(server.process.pid!) };
}

async function stop(server: Server): Promise<void> {
  if (server.process.exitCode !== null) return;
  const exited = new Promise((r) => server.process.once('exit', r));
  server.process.kill('SIGINT');
  const timer = setTimeout(() => server.process.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  installPeer();
  rmSync(BUILD, { recursive: true, force: true });
  const handlerDir = bundleHandler();
  const oursLoads = join(BUILD, 'ours-loads.log');
  const peerLoads = join(BUILD, 'peer-loads.log');
  writeFileSync(oursLoads, '');
  writeFileSync(peerLoads, '');
  const cli = builtRunnerCli();
  const assembly = synthesizeBenchApp(handlerDir, oursLoads);
  const service = writePeerService(handlerDir, peerLoads);

  const ours: Server = {
    name: 'ours', loadsFile: oursLoads, startMs: 0,
    // HTTP APIs take the first port, REST APIs the next.
    httpUrl: 'http://127.0.0.1:3300/hello', restUrl: 'http://127.0.0.1:3301/dev/hello', readyUrl: 'http://127.0.0.1:3300/__ready',
    process: spawn(process.execPath, [cli, 'local', '--app', assembly, '--port', '3300', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } }),
  };
  const oursResult = await measure(ours).finally(() => stop(ours));

  const slsEnv = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1', SLS_TRACKING_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*', SLS_DISABLE_AUTO_UPDATE: '1',
    AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
  };
  const peer: Server = {
    name: 'serverless-offline', loadsFile: peerLoads, startMs: 0,
    httpUrl: 'http://127.0.0.1:3400/hello', restUrl: 'http://127.0.0.1:3400/dev/hello', readyUrl: 'http://127.0.0.1:3400/__ready',
    process: spawn(process.execPath, [join(PEER, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'offline', 'start', '--httpPort', '3400', '--lambdaPort', '3402', '--host', '127.0.0.1'], { cwd: service, stdio: ['ignore', 'ignore', 'pipe'], env: slsEnv }),
  };
  // serverless-offline logs every request on stderr: keep only the tail, shown if it fails.
  let peerTail = '';
  peer.process.stderr!.on('data', (c: Buffer) => {
    peerTail = (peerTail + c.toString()).slice(-4000);
  });
  peer.process.once('exit', (code) => {
    if (code && code !== 130) console.error(`serverless-offline exited with ${code}:\n${peerTail}`);
  });
  const peerResult = await measure(peer).finally(() => stop(peer));

  const f = (n: number, digits = 0) => n.toFixed(digits);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  // autocannon reports percentiles in whole milliseconds; the mean has decimals.
  const lat = (l: Load) => `${l.mean.toFixed(2)} / ${l.p50} / ${l.p99}`;
  const rows: Array<[string, string, string, string]> = [
    ['REST v1 warm req/s', f(oursResult.rest.rps), f(peerResult.rest.rps), ratio(oursResult.rest.rps, peerResult.rest.rps)],
    ['REST v1 latency mean / p50 / p99 (ms)', lat(oursResult.rest), lat(peerResult.rest), ''],
    ['HTTP v2 warm req/s', f(oursResult.http.rps), f(peerResult.http.rps), ratio(oursResult.http.rps, peerResult.http.rps)],
    ['HTTP v2 latency mean / p50 / p99 (ms)', lat(oursResult.http), lat(peerResult.http), ''],
    ['non-2xx / errors during load', `${oursResult.rest.non2xx + oursResult.http.non2xx} / ${oursResult.rest.errors + oursResult.http.errors}`, `${peerResult.rest.non2xx + peerResult.http.non2xx} / ${peerResult.rest.errors + peerResult.http.errors}`, ''],
    [`cold burst of ${BURST}: last answer (ms)`, f(oursResult.burstMs), f(peerResult.burstMs), ratio(oursResult.burstMs, peerResult.burstMs)],
    [`cold burst of ${BURST}: handler loads / 200s`, `${oursResult.burstLoads} / ${oursResult.burstOk}`, `${peerResult.burstLoads} / ${peerResult.burstOk}`, ''],
    ['server RSS after load, child processes included (MB)', f(oursResult.rssMb), f(peerResult.rssMb), ratio(oursResult.rssMb, peerResult.rssMb)],
    ['start-up to first answer (ms)', f(oursResult.startMs), f(peerResult.startMs), ratio(oursResult.startMs, peerResult.startMs)],
  ];
  const headers = ['metric', 'cdk-resilient-serverless local', 'serverless-offline 13.10.1', 'ours / peer'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\nbench:local — ${CONNECTIONS} connections, ${SECONDS} s per route (autocannon in its own process), node ${process.version}, ${require('node:os').cpus().length} CPUs`);
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  if (!existsSync(assembly)) throw new Error('assembly vanished');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
