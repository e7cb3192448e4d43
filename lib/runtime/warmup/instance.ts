/*
 * Module scope lives exactly as long as the execution environment, so it identifies the environment
 * and remembers whether it has served anything yet.
 */

// Math.random rather than node:crypto: loading crypto costs several ms of INIT, and this id only has to be
// unique among one function's environments (~100 random bits plus the load time).
const random = (): string => Math.random().toString(36).slice(2, 12);
const instanceId = `${Date.now().toString(36)}-${random()}${random()}`;
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
