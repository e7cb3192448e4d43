import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** An HTTP request as API Gateway sees it, read once and shared by the event builders. */
export interface IncomingRequest {
  readonly method: string;
  /** The URL path as sent (stage prefix included). */
  readonly urlPath: string;
  /** Query string without `?`, exactly as sent. */
  readonly rawQuery: string;
  /** Header names in their original case with every value, in order. */
  readonly headerPairs: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly receivedAt: number;
  readonly requestId: string;
  /** The value of the (case-insensitive) header, the last one if repeated. */
  header(name: string): string | undefined;
}

export function readIncomingRequest(req: IncomingMessage, body: Buffer): IncomingRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    urlPath: q >= 0 ? url.slice(0, q) : url,
    rawQuery: q >= 0 ? url.slice(q + 1) : '',
    headerPairs: pairs,
    body,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    protocol: `HTTP/${req.httpVersion}`,
    receivedAt: Date.now(),
    requestId: randomUUID(),
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[value.length - 1] : value;
    },
  };
}

/** Query string pairs, decoded as API Gateway decodes them (`+` is a space). */
export function queryPairs(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  return rawQuery.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    const [k, v] = eq >= 0 ? [part.slice(0, eq), part.slice(eq + 1)] : [part, ''];
    return [decodeQuery(k), decodeQuery(v)];
  });
}

function decodeQuery(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** API Gateway's request time format: `26/Nov/2026:07:12:00 +0000`. */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Content types API Gateway HTTP APIs pass as text; everything else arrives base64-encoded. */
export function isTextContent(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type.startsWith('text/') || /^application\/([\w.-]+\+)?(json|xml|javascript|x-www-form-urlencoded|graphql)$/.test(type);
}
