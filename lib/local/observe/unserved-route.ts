import type { ApiSpec, SkippedResource } from '../model/specs';

/**
 * What a route of `api` invokes when the runner does not run it: the function it skipped at start (by path
 * and reason), another function it does not run, or an integration it does not emulate. Undefined when the
 * route is served. `runs` tells whether the runner runs the function of an ARN.
 */
export function unservedTarget(api: ApiSpec, routeKey: string, runs: (functionArn: string) => boolean, skipped: readonly SkippedResource[]): string | undefined {
  const route = api.kind === 'rest' ? api.routes.find((r) => `${r.method} ${r.resourcePath}` === routeKey) : api.routes.find((r) => r.routeKey === routeKey);
  const backend = route?.backend;
  if (backend?.kind === 'unsupported') return `an integration the runner does not emulate (${backend.reason})`;
  if (backend?.kind !== 'lambda' || runs(backend.functionArn)) return undefined;
  // A generated name holds the logical id (`<stack>-<logicalId>-<suffix>`); an explicit one may not.
  const name = backend.functionArn.split(':function:')[1]?.split(':')[0] ?? backend.functionArn;
  const skippedFunction = skipped.find((u) => u.type === 'AWS::Lambda::Function' && name.includes(u.logicalId));
  return skippedFunction ? `${skippedFunction.stackName}/${skippedFunction.logicalId}, not run here: ${skippedFunction.reason}` : `${name}, which the runner does not run (see the start-up report)`;
}
