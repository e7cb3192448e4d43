import { lambdaInvoker } from './lambda-invoker';
import { createWarmer, WarmerSummary } from './warmer';
import { readWarmerEvent } from './warmer-event';

export { createWarmer, defaultHoldMs } from './warmer';
export { lambdaInvoker } from './lambda-invoker';
export type { LambdaInvoker } from './lambda-invoker';
export type { TargetSummary, Warmer, WarmerDependencies, WarmerSummary, WarmupInvoker, WarmupPayload } from './warmer';

let cached: { sockets: number; invoke: ReturnType<typeof lambdaInvoker> } | undefined;

/**
 * The warmer Lambda's entry point. Targets are warmed in parallel, so the connection pool must admit the sum
 * of their concurrencies; the client is kept across invocations and rebuilt only when a run needs more sockets.
 */
export async function handler(event: unknown, context?: { getRemainingTimeInMillis(): number }): Promise<WarmerSummary> {
  const sockets = readWarmerEvent(event).targets.reduce((sum, t) => sum + t.concurrency, 0);
  if (!cached || cached.sockets < sockets) cached = { sockets, invoke: lambdaInvoker(sockets) };
  return createWarmer({ invoke: cached.invoke }).warm(event, context && (() => context.getRemainingTimeInMillis()));
}
