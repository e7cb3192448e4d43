import { WARMUP_KEY, WarmupRequest } from '../../contract';

/** An invocation payload sent by the warmer. */
export type WarmupEvent = { readonly [WARMUP_KEY]: WarmupRequest };

/** True when `event` is a warm-up call from the warmer (the payload carries the warm-up key). */
export function isWarmupEvent(event: unknown): event is WarmupEvent {
  return typeof event === 'object' && event !== null && WARMUP_KEY in event;
}

/** Reads the warm-up request, failing loudly on a malformed one rather than running user code with it. */
export function readWarmupRequest(event: WarmupEvent): WarmupRequest {
  const request = event[WARMUP_KEY] as Partial<WarmupRequest> | null;
  const bad = (field: string, expected: string, value: unknown) =>
    new TypeError(`withResilience: warm-up payload ${WARMUP_KEY}.${field} must be ${expected}, got ${JSON.stringify(value)}`);
  if (typeof request !== 'object' || request === null) {
    throw new TypeError(`withResilience: warm-up payload ${WARMUP_KEY} must be an object, got ${JSON.stringify(request)}`);
  }
  if (typeof request.batchId !== 'string' || request.batchId === '') throw bad('batchId', 'a non-empty string', request.batchId);
  if (!Number.isInteger(request.index) || (request.index as number) < 0) throw bad('index', 'an integer >= 0', request.index);
  if (!Number.isInteger(request.concurrency) || (request.concurrency as number) < 1) throw bad('concurrency', 'an integer >= 1', request.concurrency);
  if (!Number.isFinite(request.releaseAt)) throw bad('releaseAt', 'an epoch-milliseconds number', request.releaseAt);
  return request as WarmupRequest;
}
