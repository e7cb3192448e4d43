import { createServer, Server } from 'node:http';
import type { LocalEventBuses, PutEventsEntry } from './event-bus';
import { closeServer, listen } from '../http/listen';

/**
 * EventBridge's PutEvents over loopback HTTP: the AWS JSON protocol (`X-Amz-Target: AWSEvents.PutEvents`, so
 * SDK clients pointed here with AWS_ENDPOINT_URL_EVENTBRIDGE work unchanged) and, for people with curl,
 * `POST /events` with one entry or an array of entries.
 */
export class EventsServer {
  readonly url: string;

  private constructor(private readonly server: Server, readonly port: number, host: string) {
    this.url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  }

  static async start(buses: Pick<LocalEventBuses, 'put'>, port: number, host: string): Promise<EventsServer> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const send = (status: number, body: unknown, type = 'application/json') => {
          const text = JSON.stringify(body);
          res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
          res.end(text);
        };
        const target = req.headers['x-amz-target'];
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        } catch {
          return send(400, { __type: 'SerializationException', message: 'The request body is not valid JSON' });
        }
        if (req.method === 'POST' && target === 'AWSEvents.PutEvents') {
          const entries = (body as { Entries?: PutEventsEntry[] }).Entries;
          if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
            return send(400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 entries' }, 'application/x-amz-json-1.1');
          }
          return send(200, buses.put(entries), 'application/x-amz-json-1.1');
        }
        if (req.method === 'POST' && (req.url === '/events' || req.url === '/events/')) {
          const list = (Array.isArray(body) ? body : [body]) as Array<Record<string, unknown>>;
          return send(200, buses.put(list.map(friendlyEntry)));
        }
        return send(404, { message: 'Use POST /events with {"source","detail-type","detail"} or the EventBridge PutEvents API' });
      });
    });
    const bound = await listen(server, port, host, 'the EventBridge PutEvents endpoint');
    return new EventsServer(server, bound, host);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}

/** Accepts both the API's field names and the event's own (`source`, `detail-type`, `detail` as an object). */
function friendlyEntry(e: Record<string, unknown>): PutEventsEntry {
  const detail = e.Detail ?? e.detail;
  return {
    Source: (e.Source ?? e.source) as string,
    DetailType: (e.DetailType ?? e['detail-type'] ?? e.detailType) as string,
    Detail: typeof detail === 'string' ? detail : detail === undefined ? undefined : JSON.stringify(detail),
    EventBusName: (e.EventBusName ?? e.eventBusName ?? e.bus) as string | undefined,
    ...(Array.isArray(e.Resources ?? e.resources) ? { Resources: (e.Resources ?? e.resources) as string[] } : {}),
  };
}
