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
  /** The X-Ray trace header API Gateway adds (the client's Root kept when it sent one). */
  readonly traceId: string;
  /** The local port the client connected to (what `X-Forwarded-Port` reports). */
  readonly port: number;
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
    traceId: traceHeader(req.headers['x-amzn-trace-id']),
    port: req.socket.localPort ?? 0,
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

/**
 * Content types an HTTP API passes to Lambda as text: `text/*`, `application/json`, `application/xml` and
 * `application/javascript`. Every other body, `application/x-www-form-urlencoded` and bodies without a
 * Content-Type included, arrives base64-encoded with `isBase64Encoded: true`.
 */
export function isHttpApiText(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = mediaType(contentType);
  return type.startsWith('text/') || ['application/json', 'application/xml', 'application/javascript'].includes(type);
}

/** The function URL rule: text types pass as text; other bodies arrive base64-encoded. */
export function isTextContent(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = mediaType(contentType);
  return type.startsWith('text/') || /^application\/([\w.-]+\+)?(json|xml|javascript|x-www-form-urlencoded|graphql)$/.test(type);
}

/** Whether a media type (`image/png; q=1`) matches one of a REST API's binaryMediaTypes (`image/*`, `*\/*`). */
export function matchesMediaTypes(value: string | undefined, patterns: readonly string[]): boolean {
  if (!value || patterns.length === 0) return false;
  const type = mediaType(value);
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === '*/*') return true;
    if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1));
    return p === type;
  });
}

/** The bare media type of a header value: the first entry of a list, without parameters, lower case. */
function mediaType(value: string): string {
  return value.split(',')[0].split(';')[0].trim().toLowerCase();
}

/**
 * The headers API Gateway adds to what the client sent: X-Forwarded-For (the client's list with the caller's
 * address appended), X-Forwarded-Proto, X-Forwarded-Port and X-Amzn-Trace-Id. Client-sent copies are replaced.
 */
export function withForwardedHeaders(req: IncomingRequest, lowerCase: boolean): Array<readonly [string, string]> {
  const added = ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Port', 'X-Amzn-Trace-Id'];
  const isAdded = (name: string) => added.some((a) => a.toLowerCase() === name.toLowerCase());
  const pairs = req.headerPairs.filter(([name]) => !isAdded(name)).map(([name, value]) => [lowerCase ? name.toLowerCase() : name, value] as const);
  const forwardedFor = req.headerPairs.filter(([name]) => name.toLowerCase() === 'x-forwarded-for').map(([, v]) => v);
  const values = [[...forwardedFor, req.sourceIp].join(', '), 'http', String(req.port), req.traceId];
  added.forEach((name, i) => pairs.push([lowerCase ? name.toLowerCase() : name, values[i]]));
  return pairs;
}

/** `Root=1-<epoch seconds, hex>-<24 hex digits>`, keeping the Root of a trace header the client sent. */
function traceHeader(sent: string | string[] | undefined): string {
  const root = /Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(String(sent ?? ''))?.[1];
  if (root) return `Root=${root}`;
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}
