import type { WarmupResponse } from '../../contract';
import { currentInstanceId, markInvoked } from './instance';
import { isWarmupEvent, readWarmupRequest } from './warmup-event';

/** The minimum of Lambda's context that the wrapper relies on. */
export interface ResilienceContext {
  getRemainingTimeInMillis(): number;
}

/** A Lambda handler, async or callback style. */
export type LambdaHandler<TEvent = any, TResult = any, TContext extends ResilienceContext = any> = (
  event: TEvent,
  context: TContext,
  callback: (error?: unknown, result?: TResult) => void,
) => void | Promise<TResult>;

/** Options of `withResilience`. */
export interface WithResilienceOptions {
  /**
   * Time kept free before the function's timeout when holding a warm-up call, so the hold always
   * answers instead of timing out (a timed-out environment would be discarded, not warm).
   * @default 250
   */
  readonly warmupMarginMs?: number;
}

/**
 * Wraps a Lambda handler. Warm-up calls from the warmer are answered without running the handler: each is held
 * until its batch's `releaseAt` (so all N calls of a batch occupy N distinct environments at once) and answers
 * with this environment's id and whether the call was its cold start. Every other event goes to `handler`.
 *
 * @example
 * export const handler = withResilience(async (event: APIGatewayProxyEventV2) => ({ statusCode: 200, body: 'hi' }));
 */
export function withResilience<TEvent = any, TResult = any, TContext extends ResilienceContext = any>(
  handler: LambdaHandler<TEvent, TResult, TContext>,
  options: WithResilienceOptions = {},
): (event: TEvent, context: TContext) => Promise<TResult | WarmupResponse> {
  if (typeof handler !== 'function') {
    throw new TypeError(`withResilience: handler must be a function, got ${handler === null ? 'null' : typeof handler}`);
  }
  const margin = options.warmupMarginMs ?? 250;
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0) {
    throw new RangeError(`withResilience: options.warmupMarginMs must be a finite number >= 0, got ${JSON.stringify(margin)}`);
  }

  return async (event, context) => {
    if (isWarmupEvent(event)) {
      const request = readWarmupRequest(event);
      const cold = markInvoked();
      const holdMs = Math.min(request.releaseAt - Date.now(), context.getRemainingTimeInMillis() - margin);
      if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
      const response: WarmupResponse = { warmup: true, instanceId: currentInstanceId(), cold, batchId: request.batchId, index: request.index };
      return response;
    }
    markInvoked();
    return callHandler(handler, event, context);
  };
}

/** Runs an async or callback-style handler and settles with whichever way it answers first. */
function callHandler<TEvent, TResult, TContext>(
  handler: LambdaHandler<TEvent, TResult, any>,
  event: TEvent,
  context: TContext,
): Promise<TResult> {
  return new Promise<TResult>((resolve, reject) => {
    const returned = handler(event, context, (error, result) => (error != null ? reject(error) : resolve(result as TResult)));
    if (returned && typeof (returned as Promise<TResult>).then === 'function') (returned as Promise<TResult>).then(resolve, reject);
    else if (handler.length < 3) resolve(returned as TResult);
  });
}
