/*
 * The load generator, run as its own process so it does not share a CPU budget or event loop with the
 * server under test: `tsx bench/local/load.ts <url> <connections> <seconds>` prints autocannon's result as JSON.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const peerRequire = createRequire(join(__dirname, 'peer', 'package.json'));
const autocannon = peerRequire('autocannon') as (opts: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}>;

const [url, connections, seconds] = process.argv.slice(2);
autocannon({ url, connections: Number(connections), duration: Number(seconds) }).then((r) => {
  process.stdout.write(JSON.stringify({ rps: r.requests.average, total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, non2xx: r.non2xx, errors: r.errors + r.timeouts }));
});
