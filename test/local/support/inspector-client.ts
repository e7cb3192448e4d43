import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A minimal client of the V8 inspector protocol, as a debugger (Chrome DevTools, VS Code) speaks it: the target
 * list over HTTP (`/json/list`), then JSON-RPC messages over a WebSocket (RFC 6455: the upgrade handshake, masked
 * client frames, unmasked server frames, continuation frames). Node 20 has no WebSocket client of its own.
 */
export interface InspectorSession {
  /** Sends a command and resolves with its result (rejects with the protocol's error). */
  send(method: string, params?: Record<string, unknown>): Promise<any>;
  /** Resolves with the params of the next event of this method. */
  next(method: string, timeoutMs?: number): Promise<any>;
  close(): void;
}

/** The targets an inspector port lists: one per inspected thread or process. */
export async function inspectorTargets(host: string, port: number): Promise<Array<{ id: string; url: string; webSocketDebuggerUrl: string; title: string }>> {
  const response = await fetch(`http://${host}:${port}/json/list`);
  return (await response.json()) as Array<{ id: string; url: string; webSocketDebuggerUrl: string; title: string }>;
}

export function connectInspector(webSocketUrl: string): Promise<InspectorSession> {
  const url = new URL(webSocketUrl);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Version': '13' },
    });
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`${webSocketUrl} answered HTTP ${res.statusCode}, not a WebSocket upgrade`)));
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => resolve(session(socket, head)));
    req.end();
  });
}

function session(socket: Socket, head: Buffer): InspectorSession {
  let buffered = head;
  let fragments: Buffer[] = [];
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const events: Array<{ method: string; params: unknown }> = [];
  const waiters: Array<{ method: string; resolve: (v: unknown) => void }> = [];

  const deliver = (text: string) => {
    const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
    if (message.id !== undefined) {
      const p = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) p?.reject(new Error(message.error.message));
      else p?.resolve(message.result);
      return;
    }
    const waiter = waiters.findIndex((w) => w.method === message.method);
    if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(message.params);
    else events.push({ method: message.method!, params: message.params });
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 2) return;
      const fin = (buffered[0] & 0x80) !== 0;
      const opcode = buffered[0] & 0x0f;
      let length = buffered[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffered.length < offset + length) return;
      const payload = buffered.subarray(offset, offset + length);
      buffered = buffered.subarray(offset + length);
      if (opcode === 8) {
        socket.end();
        return;
      }
      if (opcode === 1 || opcode === 0) {
        fragments.push(payload);
        if (fin) {
          const text = Buffer.concat(fragments).toString('utf8');
          fragments = [];
          deliver(text);
        }
      }
    }
  });

  const write = (text: string) => {
    const data = Buffer.from(text);
    const mask = randomBytes(4);
    const header = data.length < 126 ? Buffer.from([0x81, 0x80 | data.length]) : data.length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    if (data.length >= 126 && data.length < 65536) {
      header[0] = 0x81;
      header[1] = 0x80 | 126;
      header.writeUInt16BE(data.length, 2);
    } else if (data.length >= 65536) {
      header[0] = 0x81;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(data.length), 2);
    }
    for (let i = 0; i < data.length; i++) data[i] ^= mask[i % 4];
    socket.write(Buffer.concat([header, mask, data]));
  };

  return {
    send(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        write(JSON.stringify({ id, method, params }));
      });
    },
    next(method, timeoutMs = 10_000) {
      const queued = events.findIndex((e) => e.method === method);
      if (queued >= 0) return Promise.resolve(events.splice(queued, 1)[0].params);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${method} event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ method, resolve: (v) => { clearTimeout(timer); resolve(v); } });
      });
    },
    close: () => socket.destroy(),
  };
}
