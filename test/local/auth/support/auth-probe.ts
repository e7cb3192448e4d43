import type { Stack } from 'aws-cdk-lib';
import { startHarness, Harness } from '../../support/runner-harness';
import { ProbeAssembly, synthesizeProbe } from '../../support/probe-app';

/** The integration every auth test routes to: it answers with the event it got, so tests read requestContext. */
export const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });`;

/**
 * An authorizer that decides from its token (the TOKEN authorizer's `authorizationToken`, else the first
 * identity source): `allow`, `deny`, `other` (allows another method only), `unauthorized` (throws
 * "Unauthorized"), `broken` (answers no policy), `simple-yes`/`simple-no` (HTTP simple responses), `key-<value>`
 * (allows, with `<value>` as the usageIdentifierKey). It puts its
 * event in the context (as JSON text), so tests check the event shape.
 */
export const DECIDER = `exports.handler = async (event) => {
  const token = event.authorizationToken || (Array.isArray(event.identitySource) ? event.identitySource[0] : String(event.identitySource || '').split(',')[0]) || (event.headers && (event.headers.Authorization || event.headers.authorization)) || '';
  const arn = event.methodArn || event.routeArn;
  const context = { event: JSON.stringify(event), count: 7, flag: true };
  if (token === 'unauthorized') throw new Error('Unauthorized');
  if (token === 'broken') return { principalId: 'u' };
  if (token.startsWith('simple-')) return { isAuthorized: token === 'simple-yes', context };
  const resource = token === 'other' ? arn.replace(/\\/[A-Z]+\\/.*$/, '/POST/elsewhere') : arn.split('/').slice(0, 2).join('/') + '/*';
  return {
    principalId: 'user-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: resource }] },
    context,
    ...(token.startsWith('key-') ? { usageIdentifierKey: token.slice(4) } : {}),
  };
};`;

export interface AuthProbe {
  readonly harness: Harness;
  readonly probe: ProbeAssembly;
  close(): Promise<void>;
}

/** Synthesizes `build`'s stack (plain aws-cdk-lib constructs) and runs it in-process on a virtual clock. */
export async function startAuthProbe(build: (stack: Stack) => void): Promise<AuthProbe> {
  const probe = synthesizeProbe(build);
  const harness = await startHarness(probe.directory, new Date('2026-12-07T08:00:00Z'));
  return {
    harness, probe,
    async close() {
      await harness.runner.close();
      probe.remove();
    },
  };
}
