import { ClientRequest, request } from 'node:http';

/** One server-sent event. */
export interface StreamEvent {
  readonly event: string;
  readonly data: any;
}

/** A server-sent event stream read as a browser's EventSource would, for tests. */
export interface EventStream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Every event received so far, in order. */
  readonly events: StreamEvent[];
  /** Resolves with the first event (received from now on, or already) named `event` that `accept` takes. */
  next(event: string, accept?: (data: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export function openEventStream(url: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined;
    const events: StreamEvent[] = [];
    const waiters: Array<{ event: string; accept: (data: any) => boolean; resolve: (data: any) => void }> = [];
    req = request(url, { headers: { Accept: 'text/event-stream' }, agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (!name) continue;
          const received = { event: name, data: JSON.parse(data) };
          events.push(received);
          for (const w of waiters.filter((x) => x.event === name && x.accept(received.data))) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(received.data);
          }
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        next(event, accept = () => true, timeoutMs = 20_000) {
          const seen = events.find((e) => e.event === event && accept(e.data));
          if (seen) return Promise.resolve(seen.data);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no "${event}" event that fits within ${timeoutMs} ms; received: ${events.map((e) => e.event).join(', ')}`)), timeoutMs);
            waiters.push({ event, accept, resolve: (data) => {
              clearTimeout(timer);
              ok(data);
            } });
          });
        },
        close: () => req?.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
