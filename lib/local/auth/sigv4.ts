import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingRequest } from '../http/incoming-request';

/*
 * AWS Signature Version 4 as API Gateway checks it on AWS_IAM routes (service `execute-api`), against the one
 * pair of credentials the runner knows (the dummy credentials every local function gets).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export type SignatureVerdict =
  | { readonly kind: 'signed'; readonly accessKeyId: string }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'unknown-key' }
  | { readonly kind: 'invalid'; readonly message: string };

export const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MAX_SKEW_MS = 5 * 60_000;

/** Checks the request's `Authorization: AWS4-HMAC-SHA256 ...` header; `now` is the runner's clock (ms). */
export function verifySignature(req: IncomingRequest, options: { service: string; region: string; credentials: Credentials; now: number }): SignatureVerdict {
  const authorization = req.header('authorization');
  if (!authorization) return { kind: 'unsigned' };
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization.trim());
  const fields = new Map((match?.[1] ?? '').split(',').map((f) => f.trim().split('=') as [string, string]));
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!match || !credential || !signedHeaders || !signature) {
    const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((f) => !fields.get(f)).map((f) => `Authorization header requires '${f}' parameter.`);
    return { kind: 'invalid', message: `${missing.join(' ') || 'Authorization header requires AWS4-HMAC-SHA256.'} Authorization=${authorization.split(' ')[0]}` };
  }
  const [accessKeyId, day, region, service, terminator] = credential.split('/');
  if (accessKeyId !== options.credentials.accessKeyId) return { kind: 'unknown-key' };
  if (terminator !== 'aws4_request' || !day) return { kind: 'invalid', message: `Credential should be scoped to a valid terminal: aws4_request` };
  if (region !== options.region) return { kind: 'invalid', message: `Credential should be scoped to a valid region. ` };
  if (service !== options.service) return { kind: 'invalid', message: `Credential should be scoped to correct service: '${options.service}'. ` };
  const amzDate = req.header('x-amz-date');
  const signedAt = amzDate ? Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) : NaN;
  if (!amzDate || Number.isNaN(signedAt)) return { kind: 'invalid', message: `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.` };
  if (Math.abs(options.now - signedAt) > MAX_SKEW_MS) {
    return { kind: 'invalid', message: `Signature expired: ${amzDate} is now earlier than ${compactDate(options.now - MAX_SKEW_MS)} (${compactDate(options.now)} - 5 min.)` };
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return { kind: 'invalid', message: SIGNATURE_MISMATCH };
  const headers = names.map((name) => `${name}:${req.headerPairs.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`).join('');
  // The body's own hash, whatever x-amz-content-sha256 claims: a body changed on the way fails the signature.
  const payloadHash = sha256(req.body);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const key = signingKey(options.credentials.secretAccessKey, [day, region, service, 'aws4_request']);
  // Signers escape the path once more (the SDK's default for every service but S3); some send it as it is.
  for (const path of [escapePath(req.urlPath), req.urlPath]) {
    const canonical = [req.method, path, canonicalQuery(req.rawQuery), headers, signedHeaders, payloadHash].join('\n');
    const expected = hmac(key, ['AWS4-HMAC-SHA256', amzDate, scope, sha256(Buffer.from(canonical))].join('\n')).toString('hex');
    if (expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return { kind: 'signed', accessKeyId };
  }
  return { kind: 'invalid', message: SIGNATURE_MISMATCH };
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
function signingKey(secret: string, scope: readonly string[]): Buffer {
  let key: Buffer = Buffer.from(`AWS4${secret}`);
  for (const part of scope) key = hmac(key, part);
  return key;
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding, as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function escapePath(path: string): string {
  return path.split('/').map(uriEncode).join('/');
}

function canonicalQuery(rawQuery: string): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return rawQuery.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    return [uriEncode(decode(eq >= 0 ? part.slice(0, eq) : part)), uriEncode(decode(eq >= 0 ? part.slice(eq + 1) : ''))] as const;
  }).sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
}

/** `20261207T014500Z`. */
export function compactDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
