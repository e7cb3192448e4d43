import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LocalRunnerError } from '../errors';
import { closeServer, listen } from '../http/listen';
import type { DashboardFeed } from './dashboard-feed';

/** Where the page lives on the dashboard's port; `/` redirects here. */
export const DASHBOARD_PATH = '/_local/';

/** The page's files, shipped beside this module (lib/ when run from sources, dist/ when installed). */
const PAGE_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  'dashboard.mjs': { file: 'dashboard.mjs', type: 'text/javascript; charset=utf-8' },
};

/**
 * Handlers' events, answers and logs are shown as text only (the page never parses them as HTML); the policy
 * makes sure nothing but the page's own files could run even if that slipped.
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** A comment line every so often keeps proxies and the browser from closing an idle event stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Serves the local dashboard: the page, its state as JSON, an invocation's details, and the live feed as
 * server-sent events (`/_local/api/stream`: `state`, `invocations` once, then `invocation` per new one).
 */
export class DashboardServer {
  /** The page's URL. */
  readonly url: string;
  private readonly streams = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(private readonly server: Server, private readonly feed: DashboardFeed, host: string, port: number) {
    this.url = `http://${urlHost(host)}:${port}${DASHBOARD_PATH}`;
    const broadcast = (event: string, data: unknown) => {
      for (const res of this.streams) sendEvent(res, event, data);
    };
    feed.on('state', (state) => broadcast('state', state));
    feed.on('invocation', (summary) => broadcast('invocation', summary));
    this.heartbeat = setInterval(() => {
      for (const res of this.streams) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS).unref();
  }

  static async start(feed: DashboardFeed, port: number, host: string): Promise<DashboardServer> {
    const page = loadPage();
    let dashboard: DashboardServer | undefined;
    const server = createServer((req, res) => {
      const bound = (server.address() as { port: number }).port;
      if (!hostAllowed(req.headers.host, host, bound)) return send(res, 403, 'text/plain; charset=utf-8', 'The local dashboard answers only requests addressed to the host it listens on.\n');
      dashboard!.handle(req, res, page);
    });
    const bound = await listen(server, port, host, 'the local dashboard');
    dashboard = new DashboardServer(server, feed, host, bound);
    return dashboard;
  }

  private handle(req: IncomingMessage, res: ServerResponse, page: Readonly<Record<string, Buffer>>): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'The local dashboard is read-only: GET only.\n');
    const path = new URL(req.url ?? '/', 'http://dashboard').pathname;
    if (path === '/' || path === DASHBOARD_PATH.slice(0, -1)) {
      res.writeHead(302, { ...SECURITY_HEADERS, Location: DASHBOARD_PATH });
      return void res.end();
    }
    if (!path.startsWith(DASHBOARD_PATH)) return send(res, 404, 'text/plain; charset=utf-8', `Not found. The dashboard is at ${DASHBOARD_PATH}\n`);
    const rest = path.slice(DASHBOARD_PATH.length);
    if (rest === 'api/state') return sendJson(res, 200, { state: this.feed.state(), invocations: this.feed.invocations.list() });
    if (rest === 'api/stream') return this.openStream(req, res);
    const detail = /^api\/invocations\/(\d+)$/.exec(rest);
    if (detail) {
      const found = this.feed.invocations.detail(Number(detail[1]));
      return found ? sendJson(res, 200, found) : sendJson(res, 404, { message: `Invocation ${detail[1]} is not kept (the dashboard keeps the latest ones)` });
    }
    const file = PAGE_FILES[rest];
    if (file) return send(res, 200, file.type, page[rest], req.method === 'HEAD');
    return send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
  }

  private openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    // A dropped connection is retried by the browser after this long.
    res.write('retry: 1000\n\n');
    sendEvent(res, 'state', this.feed.state());
    sendEvent(res, 'invocations', this.feed.invocations.list());
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const res of this.streams) res.end();
    this.streams.clear();
    await closeServer(this.server);
  }
}

function loadPage(): Record<string, Buffer> {
  const folder = join(__dirname, 'page');
  const page: Record<string, Buffer> = {};
  for (const [key, { file }] of Object.entries(PAGE_FILES)) {
    try {
      page[key] = readFileSync(join(folder, file));
    } catch (err) {
      throw new LocalRunnerError(`The local dashboard's page is missing from the installed package (${join(folder, file)}: ${(err as Error).message}); reinstall cdk-resilient-serverless.`);
    }
  }
  return page;
}

/**
 * A page on another site can point a name it controls at 127.0.0.1 (DNS rebinding) and read what the dashboard
 * shows; its requests carry that name in Host. Bound to a loopback address, only loopback names are answered.
 * Bound to every interface or a LAN address, the user chose to share it, and any Host is answered.
 */
export function hostAllowed(header: string | undefined, boundHost: string, port: number): boolean {
  if (!isLoopback(boundHost)) return true;
  if (!header) return false;
  const allowed = new Set(['localhost', '127.0.0.1', '[::1]', urlHost(boundHost)].map((h) => `${h}:${port}`.toLowerCase()));
  return allowed.has(header.toLowerCase());
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function sendEvent(res: ServerResponse, event: string, data: unknown): void {
  // JSON.stringify escapes line breaks, so the data is one `data:` line.
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headOnly = false): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(headOnly ? undefined : body);
}
