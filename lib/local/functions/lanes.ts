import type { FunctionPool } from '../execution';
import type { FunctionSpec } from '../model/specs';

/** A function's pools: one per version it runs, and one per alias or version with provisioned concurrency. */
export interface FunctionLanes {
  readonly spec: FunctionSpec;
  readonly lanes: Map<string, FunctionPool>;
}

/** Which pool serves a qualifier; undefined when the function has no such alias or version. */
export function laneOf(spec: FunctionSpec, qualifier: string | undefined): { key: string; version: string; provisioned: number } | undefined {
  if (qualifier === undefined || qualifier === '$LATEST') return { key: '$LATEST', version: '$LATEST', provisioned: 0 };
  const q = spec.qualifiers[qualifier];
  if (!q) return undefined;
  // Provisioned concurrency serves only invocations of its own alias or version; the rest run on demand.
  if (q.provisionedConcurrency > 0) return { key: `provisioned:${qualifier}`, version: q.version, provisioned: q.provisionedConcurrency };
  return { key: q.version === '$LATEST' ? '$LATEST' : `version:${q.version}`, version: q.version, provisioned: 0 };
}
