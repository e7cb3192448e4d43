import { createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject, randomUUID, sign } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalRunnerError } from '../errors';
import type { JwtAuthorizerSpec } from './auth-specs';
import type { JwtClaims } from './jwt';

/** The file holding the local issuer's private key, in the runner cache's `auth/` folder or the --data-dir. */
export const SIGNING_KEY_FILE = 'local-issuer-key.json';

/**
 * The runner's stand-in for the app's token issuers (JWT authorizers' issuers, Cognito user pools): one RSA key
 * pair whose public half is the JWKS the runner checks tokens against, so tokens minted here (the `token`
 * command, `runner.auth.mintToken`) pass and tokens of the real issuer do not. The private key is kept in a
 * file, so tokens minted by the CLI verify in a runner started before or after.
 */
export class LocalIssuer {
  /** Loads the key of `directory`, creating it the first time (atomically: concurrent starts share one key). */
  static load(directory: string): LocalIssuer {
    const file = join(directory, SIGNING_KEY_FILE);
    try {
      return LocalIssuer.parse(readFileSync(file, 'utf8'), file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const text = JSON.stringify({ kid: `local-${randomUUID().slice(0, 8)}`, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) });
    try {
      mkdirSync(directory, { recursive: true });
      const temp = `${file}.${process.pid}.${randomUUID()}`;
      writeFileSync(temp, text, { mode: 0o600 });
      try {
        linkSync(temp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        rmSync(temp, { force: true });
      }
      return LocalIssuer.parse(readFileSync(file, 'utf8'), file);
    } catch (err) {
      if (err instanceof LocalRunnerError) throw err;
      throw new LocalRunnerError(`Cannot keep the local token signing key in ${file}: ${(err as Error).message}`);
    }
  }

  private static parse(text: string, file: string): LocalIssuer {
    try {
      const { kid, privateKey } = JSON.parse(text) as { kid: string; privateKey: string };
      return new LocalIssuer(kid, createPrivateKey(privateKey), file);
    } catch (err) {
      throw new LocalRunnerError(`${file} is not a signing key the runner wrote (${(err as Error).message}); delete it and a new one is made`);
    }
  }

  private readonly publicKeys: { keys: JsonWebKey[] };

  private constructor(readonly keyId: string, private readonly privateKey: KeyObject, readonly file: string) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    this.publicKeys = { keys: [{ ...jwk, kid: keyId, alg: 'RS256', use: 'sig' }] };
  }

  /** The public key set (`{ keys: [...] }`), what an issuer publishes at its `jwks_uri`. */
  jwks(): { keys: JsonWebKey[] } {
    return this.publicKeys;
  }

  /** A compact RS256 JWT of these claims, signed with the local key. */
  sign(claims: JwtClaims): string {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.keyId })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.privateKey).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /**
   * A token `authorizer` accepts: `iss` its (first) issuer, `aud` its first audience (a Cognito pool's tokens:
   * `token_use` access with `client_id` when `scope` is given, else an id token), `iat`/`exp` from `now`;
   * `claims` override any of them.
   */
  mint(authorizer: JwtAuthorizerSpec, claims: JwtClaims, options: { now: number; expiresInSeconds: number }): string {
    const iat = Math.floor(options.now / 1000);
    const base: JwtClaims = { sub: 'local-user', iss: authorizer.issuers[0], iat, exp: iat + options.expiresInSeconds, jti: randomUUID() };
    if (authorizer.kind === 'cognito') {
      const access = claims.scope !== undefined;
      Object.assign(base, access ? { token_use: 'access', client_id: 'local-client', username: 'local-user' } : { token_use: 'id', aud: 'local-client', 'cognito:username': 'local-user' });
    } else if (authorizer.audience.length > 0) {
      base.aud = authorizer.audience[0];
    }
    return this.sign({ ...base, ...claims });
  }
}
