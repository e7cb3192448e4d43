import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';

/** The first port the kernel hands out for listen(0) and outgoing connections (Linux), else the IANA start. */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 49152;
  } catch {
    return 49152;
  }
}

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * The first of `count` consecutive free ports below the ephemeral range: the runner's own ephemeral sockets
 * (dynalite, the Invoke API, SDK connections) and other tests' listen(0) never land there.
 */
export async function freePortRange(count: number): Promise<number> {
  const low = Math.min(ephemeralLow(), 65536 - count);
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 10000 + Math.floor(Math.random() * (low - 10000 - count));
    const servers = [];
    for (let i = 0; i < count; i++) {
      const server = await listen(first + i);
      if (!server) break;
      servers.push(server);
    }
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    if (servers.length === count) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
