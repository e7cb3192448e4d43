import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake downstream pricing service whose failures the test switches on and off. */
export interface PricingServer {
  readonly url: string;
  failing: boolean;
  calls: number;
  close(): Promise<void>;
}

export async function startPricingServer(): Promise<PricingServer> {
  const state = { failing: false, calls: 0 };
  const server = createServer((_req, res) => {
    state.calls++;
    if (state.failing) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"pricing is down"}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"price":42,"currency":"EUR"}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/quote`;
  return Object.assign(state, {
    url,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  });
}
