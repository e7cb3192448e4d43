import { createPublicKey, JsonWebKey, KeyObject, verify } from 'node:crypto';

/*
 * JWT validation as API Gateway's JWT authorizer does it: an RSA signature by a key of the issuer's JWKS (by
 * `kid`), then `iss`, `aud` (or `client_id` when there is no `aud`), `exp`, `nbf` and `iat`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */

export type JwtClaims = Record<string, unknown>;

export interface JwtCheck {
  /** The issuer's signing keys (a JWKS's `keys`). */
  readonly keys: readonly JsonWebKey[];
  /** Accepted `iss` values. */
  readonly issuers: readonly string[];
  /** Accepted `aud`/`client_id` values; empty = not checked (REST Cognito authorizers accept any app client). */
  readonly audience: readonly string[];
  /** Seconds since the epoch. */
  readonly now: number;
}

export type JwtVerdict = { readonly claims: JwtClaims } | { readonly error: string };

const ALGORITHMS: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

/** Validates a compact JWT; the error is the description API Gateway gives in `www-authenticate`. */
export function verifyJwt(token: string, check: JwtCheck): JwtVerdict {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'token contains an invalid number of segments' };
  let header: { alg?: unknown; kid?: unknown };
  let claims: JwtClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return { error: 'the token is malformed' };
  }
  if (header === null || typeof header !== 'object' || claims === null || typeof claims !== 'object' || Array.isArray(claims)) return { error: 'the token is malformed' };
  const algorithm = ALGORITHMS[String(header.alg)];
  if (!algorithm) return { error: `signing method ${String(header.alg)} is invalid` };
  const jwk = check.keys.find((k) => (k as { kid?: unknown }).kid === header.kid);
  if (!jwk) return { error: `the token's key id ${JSON.stringify(header.kid)} is not in the issuer's key set` };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return { error: 'the issuer key is not an RSA public key' };
  }
  if (!verify(algorithm, Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'))) return { error: 'crypto/rsa: verification error' };
  if (!check.issuers.includes(String(claims.iss))) return { error: 'the token does not have a valid issuer' };
  if (check.audience.length > 0) {
    // API Gateway reads client_id only when there is no aud.
    const audiences = claims.aud !== undefined ? (Array.isArray(claims.aud) ? claims.aud : [claims.aud]) : [claims.client_id];
    if (!audiences.some((a) => check.audience.includes(String(a)))) return { error: 'the token does not have a valid audience' };
  }
  if (typeof claims.exp !== 'number' || claims.exp <= check.now) return { error: 'the token has expired' };
  if (typeof claims.nbf === 'number' && claims.nbf > check.now) return { error: 'the token is not valid yet' };
  if (typeof claims.iat === 'number' && claims.iat > check.now) return { error: 'the token was issued in the future' };
  return { claims };
}

/** The token's scopes: its `scope` (space separated) or `scp` (list or string) claim. */
export function scopesOf(claims: JwtClaims): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

/** A bearer token from an identity source value: the token alone, or prefixed with `Bearer `. */
export function bearerToken(value: string): string {
  return value.replace(/^Bearer\s+/i, '').trim();
}
