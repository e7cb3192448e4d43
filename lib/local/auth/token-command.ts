import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCloudAssembly, selectStacks } from '../assembly/cloud-assembly';
import { LocalRunnerError } from '../errors';
import { buildAppModel } from '../model/app-model';
import { signingKeyDirectory, tokenAuthorizer } from './local-auth';
import { LocalIssuer } from './local-issuer';

/** What `cdk-resilient-serverless token` takes. */
export interface TokenCommandOptions {
  readonly assembly: string;
  readonly stack?: string;
  readonly authorizer?: string;
  /** JSON object text. */
  readonly claims: string;
  /** `3600`, `90s`, `30m`, `1h`, `7d`. */
  readonly expiresIn: string;
  readonly dataDirectory?: string;
  readonly account: string;
  readonly region: string;
}

/**
 * Mints a token for a JWT or Cognito authorizer of the app, signed with the key the runner checks tokens
 * against (`<cache>/auth` or `<data dir>/auth`, the same folder `local` uses with the same --data-dir).
 */
export function mintTokenCommand(o: TokenCommandOptions): string {
  const seconds = durationSeconds(o.expiresIn);
  const claims = JSON.parse(o.claims) as Record<string, unknown>;
  const assembly = loadCloudAssembly(o.assembly);
  const scratch = mkdtempSync(join(tmpdir(), 'cdk-local-token-'));
  try {
    const model = buildAppModel(assembly, selectStacks(assembly, o.stack), { account: o.account, region: o.region, scratchDirectory: scratch });
    const authorizer = tokenAuthorizer(model, o.authorizer);
    const directory = signingKeyDirectory(o.dataDirectory ? resolve(o.dataDirectory) : undefined);
    return LocalIssuer.load(directory).mint(authorizer, claims, { now: Date.now(), expiresInSeconds: seconds });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Seconds of `3600`, `90s`, `30m`, `1h` or `7d`; anything else is a LocalRunnerError naming the option. */
export function durationSeconds(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new LocalRunnerError(`--expires-in must be a positive number of seconds, or one with a unit (90s, 30m, 1h, 7d), got ${JSON.stringify(text)}`);
  return Number(m[1]) * { '': 1, 's': 1, 'm': 60, 'h': 3600, 'd': 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}
