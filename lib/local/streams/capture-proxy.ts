import { createServer, IncomingHttpHeaders, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { closeServer, listen } from '../http/listen';
import type { AttributeMap, TableStreams } from './table-streams';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

type Body = Record<string, unknown>;

/** An item a write touches: its table and key. */
interface Touched {
  readonly table: string;
  readonly key: AttributeMap;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * DynamoDB Streams for dynalite, which has none: a proxy in front of it that handlers reach through
 * AWS_ENDPOINT_URL_DYNAMODB. Requests pass through unchanged; a write (PutItem, UpdateItem, DeleteItem,
 * BatchWriteItem, TransactWriteItems) to a table with a stream is run one at a time, between a consistent read
 * of each item it touches before and after, so the stream record carries the exact old and new images whatever
 * the write's own ReturnValues. Writes to tables without a stream, and every read, cost one loopback hop only.
 * PartiQL (ExecuteStatement), which dynalite does not support either, is not captured.
 */
export class CaptureProxy {
  readonly endpoint: string;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly server: Server, port: number, private readonly upstream: URL, private readonly streams: TableStreams) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  static async start(upstream: string, streams: TableStreams): Promise<CaptureProxy> {
    let self: CaptureProxy | undefined;
    const server = createServer((req, res) => void self!.handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `local stream capture: ${err.message}` }));
    }));
    const port = await listen(server, 0, '127.0.0.1', 'the DynamoDB stream capture proxy');
    self = new CaptureProxy(server, port, new URL(upstream), streams);
    return self;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
    const touched = WRITES.has(operation) ? this.touchedBy(operation, body) : [];
    const answer = touched.length > 0 ? await this.serialized(() => this.capture(req, body, touched)) : await this.forward(req.method ?? 'POST', req.url ?? '/', req.headers, body);
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, { ...headers, 'content-length': answer.body.length });
    res.end(answer.body);
  }

  /** The items of streamed tables a write request touches; [] when it touches none (or cannot be read). */
  private touchedBy(operation: string, raw: Buffer): Touched[] {
    let input: Body;
    try {
      input = JSON.parse(raw.toString('utf8')) as Body;
    } catch {
      return [];
    }
    const touched: Touched[] = [];
    const add = (table: unknown, keyOrItem: unknown) => {
      if (typeof table !== 'string' || !this.streams.tables.has(table) || !keyOrItem || typeof keyOrItem !== 'object') return;
      const names = this.streams.keyNames(table);
      const item = keyOrItem as AttributeMap;
      if (names.every((n) => item[n] !== undefined)) touched.push({ table, key: Object.fromEntries(names.map((n) => [n, item[n]])) });
    };
    if (operation === 'PutItem') add(input.TableName, input.Item);
    if (operation === 'UpdateItem' || operation === 'DeleteItem') add(input.TableName, input.Key);
    if (operation === 'BatchWriteItem') {
      for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, Body[]>)) {
        for (const r of requests) add(table, (r.PutRequest as Body | undefined)?.Item ?? (r.DeleteRequest as Body | undefined)?.Key);
      }
    }
    if (operation === 'TransactWriteItems') {
      for (const t of (input.TransactItems ?? []) as Body[]) {
        const put = t.Put as Body | undefined;
        const change = (t.Update ?? t.Delete) as Body | undefined;
        if (put) add(put.TableName, put.Item);
        if (change) add(change.TableName, change.Key);
      }
    }
    return touched;
  }

  private async capture(req: IncomingMessage, body: Buffer, touched: Touched[]): Promise<Answer> {
    const before = await Promise.all(touched.map((t) => this.getItem(req.headers, t)));
    const answer = await this.forward(req.method ?? 'POST', req.url ?? '/', req.headers, body);
    if (answer.status !== 200) return answer;
    const after = await Promise.all(touched.map((t) => this.getItem(req.headers, t)));
    touched.forEach((t, i) => this.streams.record(t.table, t.key, before[i], after[i]));
    return answer;
  }

  private async getItem(headers: IncomingHttpHeaders, t: Touched): Promise<AttributeMap | undefined> {
    const body = Buffer.from(JSON.stringify({ TableName: t.table, Key: t.key, ConsistentRead: true }));
    const answer = await this.forward('POST', '/', { ...headers, 'x-amz-target': `${TARGET_PREFIX}GetItem` }, body);
    if (answer.status !== 200) throw new Error(`reading ${t.table} ${JSON.stringify(t.key)} failed with ${answer.status}: ${answer.body.toString('utf8')}`);
    return (JSON.parse(answer.body.toString('utf8')) as { Item?: AttributeMap }).Item;
  }

  /** Runs captured writes one after another, so no other write lands between a write and its reads. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private forward(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const out = request({ host: this.upstream.hostname, port: this.upstream.port, method, path, headers: { ...headers, 'content-length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
