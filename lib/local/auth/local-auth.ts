import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { runnerCache } from '../dependencies/runner-dependencies';
import { LocalRunnerError } from '../errors';
import type { LocalFunctions } from '../functions/local-functions';
import { closeServer, listen } from '../http/listen';
import type { ApiSpec, AppModel } from '../model/specs';
import type { AuthServices } from './api-guard';
import type { AuthorizerSpec, JwtAuthorizerSpec } from './auth-specs';
import type { JwtClaims } from './jwt';
import { LocalIssuer } from './local-issuer';
import type { Credentials } from './sigv4';

/** Where the local issuer's key is kept: `<data dir>/auth`, else `<runner cache root>/auth`. */
export function signingKeyDirectory(dataDirectory?: string): string {
  return dataDirectory ? join(dataDirectory, 'auth') : join(runnerCache.cacheRoot(), 'auth');
}

/** Every authorizer of the app, with the API it belongs to. */
export function authorizersOf(model: AppModel): Array<{ api: string; authorizer: AuthorizerSpec }> {
  return model.apis.flatMap((api) => (api.auth?.authorizers ?? []).map((authorizer) => ({ api: api.displayName, authorizer })));
}

/**
 * Finds the JWT or Cognito authorizer a token is for, by its Name, display name or id; a clear error names
 * the ones there are.
 */
export function tokenAuthorizer(model: AppModel, name: string | undefined): JwtAuthorizerSpec {
  const candidates = authorizersOf(model).map((a) => a.authorizer).filter((a): a is JwtAuthorizerSpec => a.kind !== 'lambda');
  const known = candidates.map((a) => a.name).join(', ') || 'none (the app has no JWT or Cognito authorizer)';
  if (name === undefined) {
    if (candidates.length === 1) return candidates[0];
    throw new LocalRunnerError(`--authorizer is needed to say which authorizer the token is for; the app's JWT and Cognito authorizers: ${known}`);
  }
  const found = candidates.filter((a) => a.name === name || a.displayName === name || a.id === name);
  if (found.length === 0) throw new LocalRunnerError(`--authorizer ${JSON.stringify(name)} is not a JWT or Cognito authorizer of the app; it has: ${known}`);
  // Names repeat across APIs (aws-cdk-lib names authorizers after their construct id): the path tells them apart.
  if (found.length > 1) throw new LocalRunnerError(`--authorizer ${JSON.stringify(name)} names ${found.length} authorizers; give one of their paths: ${found.map((a) => a.displayName).join(', ')}`);
  return found[0];
}

/** The runner's authorization machinery: the local issuer (loaded when the app has token authorizers) and its JWKS endpoint. */
export class LocalAuth {
  static async start(model: AppModel, options: { functions: LocalFunctions; credentials: Credentials; now: () => number; dataDirectory?: string }): Promise<LocalAuth> {
    const needsIssuer = authorizersOf(model).some((a) => a.authorizer.kind !== 'lambda');
    const issuer = needsIssuer ? LocalIssuer.load(signingKeyDirectory(options.dataDirectory)) : undefined;
    let server: Server | undefined;
    let jwksUrl: string | undefined;
    if (issuer) {
      const body = JSON.stringify(issuer.jwks());
      server = createServer((req, res) => {
        const found = req.url === '/.well-known/jwks.json';
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(found ? body : JSON.stringify({ message: 'Not Found' }));
      });
      jwksUrl = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1', 'the local JWKS')}/.well-known/jwks.json`;
    }
    return new LocalAuth(model, { functions: options.functions, credentials: options.credentials, now: options.now, account: model.account, region: model.region, issuer }, server, jwksUrl);
  }

  private constructor(
    private readonly model: AppModel,
    /** What the API servers' guards share. */
    readonly services: AuthServices,
    private readonly server: Server | undefined,
    /** Where the local issuer's public keys are served, when the app has JWT or Cognito authorizers. */
    readonly jwksUrl: string | undefined,
  ) {}

  /**
   * A token the named JWT or Cognito authorizer accepts, signed by the local issuer. Claims override the
   * defaults (`iss`, `aud`, `sub`, `iat`, `exp`...).
   */
  mintToken(authorizer: string | undefined, claims: JwtClaims = {}, expiresInSeconds = 3600): string {
    if (!this.services.issuer) throw new LocalRunnerError('The app has no JWT or Cognito authorizer, so there is no local issuer to sign tokens');
    return this.services.issuer.mint(tokenAuthorizer(this.model, authorizer), claims, { now: this.services.now(), expiresInSeconds });
  }

  /**
   * What a `curl` of the route needs to pass (`-H "Authorization: Bearer $(... token ...)" `, an API key), for the
   * start-up report's suggestions; '' for a public route. `route` is `METHOD /path` as the runner lists it.
   */
  curlFlags(api: ApiSpec, route: string): string {
    const r = api.kind === 'rest' ? api.routes.find((x) => `${x.method} ${x.resourcePath}` === route) : api.routes.find((x) => x.routeKey === route);
    if (!r) return '';
    const flags: string[] = [];
    const authorizer = api.auth?.authorizers.find((a) => a.id === r.authorizerId);
    if (authorizer && authorizer.kind !== 'lambda' && r.authorization !== 'AWS_IAM') {
      const scope = r.authorizationScopes?.length ? ` --claims '${JSON.stringify({ scope: r.authorizationScopes[0] })}'` : '';
      flags.push(`-H "Authorization: ${authorizer.kind === 'jwt' ? 'Bearer ' : ''}$(npx cdk-resilient-serverless token --authorizer ${JSON.stringify(authorizer.name)}${scope})"`);
    }
    if (r.authorization === 'AWS_IAM') flags.push('--aws-sigv4 "aws:amz:' + this.model.region + ':execute-api" --user local:local');
    const key = api.kind === 'rest' && 'apiKeyRequired' in r && r.apiKeyRequired ? api.auth?.apiKeys.find((k) => k.enabled) : undefined;
    if (key) flags.push(`-H "x-api-key: ${key.value}"`);
    return flags.map((f) => `${f} `).join('');
  }

  /** Start-up report lines: what is enforced, the issuer's stand-in, the API keys. */
  report(): string[] {
    const lines: string[] = [];
    for (const { api, authorizer } of authorizersOf(this.model)) {
      if (authorizer.kind === 'lambda') {
        const runs = this.services.functions.resolve(authorizer.functionArn) !== undefined;
        lines.push(`authorizer ${authorizer.name} (${api}): Lambda ${authorizer.type}${authorizer.api === 'http' ? ` payload ${authorizer.payloadVersion}${authorizer.simpleResponses ? ', simple responses' : ''}` : ''}, cache ${authorizer.ttlSeconds ? `${authorizer.ttlSeconds} s` : 'off'}${runs ? '' : `; its function ${authorizer.functionArn} does not run here, so its routes answer 500`}`);
      } else {
        lines.push(`authorizer ${authorizer.name} (${api}): ${authorizer.kind === 'jwt' ? 'JWT' : 'Cognito user pool'} tokens of ${authorizer.issuers.join(', ')} are checked against the LOCAL issuer's key (${this.jwksUrl}), not the real one's: mint one with \`cdk-resilient-serverless token --authorizer ${JSON.stringify(authorizer.name)}\``);
      }
    }
    if (this.model.apis.some((a) => a.routes.some((r) => r.authorization === 'AWS_IAM'))) {
      lines.push(`AWS_IAM routes: SigV4 signatures are checked against access key ${JSON.stringify(this.services.credentials.accessKeyId)}, secret ${JSON.stringify(this.services.credentials.secretAccessKey)} (what the functions get)`);
    }
    for (const api of this.model.apis) {
      for (const key of api.kind === 'rest' ? api.auth?.apiKeys ?? [] : []) {
        lines.push(`API key ${key.displayName} (${api.displayName}): ${key.value}${key.generated ? ' (generated: the template sets no value)' : ''}${key.enabled ? '' : ' DISABLED'}`);
      }
    }
    return lines;
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }
}
