import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** node:crypto as the SDK signer's hash. */
class Sha256 {
  private readonly hash;
  constructor(secret?: unknown) {
    this.hash = secret ? createHmac('sha256', secret as string | Uint8Array) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/** The runner's dummy credentials, which its SigV4 check accepts. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface SignOptions {
  readonly method: string;
  readonly body?: string;
  readonly service?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  readonly signingDate?: Date;
  readonly headers?: Record<string, string>;
}

/** Headers of a request to `url` signed with the AWS SDK's own SigV4 signer. */
export async function sigv4Headers(url: string, options: SignOptions): Promise<Record<string, string>> {
  const u = new URL(url);
  const signer = new SignatureV4({ service: options.service ?? 'execute-api', region: 'us-east-1', credentials: options.credentials ?? LOCAL_CREDENTIALS, sha256: Sha256 });
  const request = await signer.sign({
    method: options.method, protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: u.pathname,
    query: Object.fromEntries(u.searchParams), headers: { host: u.host, ...options.headers }, body: options.body,
  }, options.signingDate ? { signingDate: options.signingDate } : {});
  return request.headers as Record<string, string>;
}
