import { randomUUID } from 'node:crypto';

/*
 * Module scope lives exactly as long as the execution environment, so it identifies the environment
 * and remembers whether it has served anything yet.
 */
const instanceId = randomUUID();
let served = false;

/** Id of this execution environment, stable across its invocations. */
export function currentInstanceId(): string {
  return instanceId;
}

/** Records an invocation; returns true when it was the environment's first (its cold start). */
export function markInvoked(): boolean {
  const first = !served;
  served = true;
  return first;
}
