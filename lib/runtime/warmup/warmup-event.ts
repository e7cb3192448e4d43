import { WARMUP_KEY, WarmupRequest } from '../../contract';

/** An invocation payload sent by the warmer. */
export type WarmupEvent = { readonly [WARMUP_KEY]: WarmupRequest };

/** True when `event` is a warm-up call from the warmer (the payload carries the warm-up key). */
export function isWarmupEvent(event: unknown): event is WarmupEvent {
  return typeof event === 'object' && event !== null && WARMUP_KEY in event;
}

/** Each field of a warm-up request: what it must be, and the check. */
const FIELDS: Array<[keyof WarmupRequest, string, (value: unknown) => boolean]> = [
  ['batchId', 'a non-empty string', (v) => typeof v === 'string' && v !== ''],
  ['index', 'an integer >= 0', (v) => Number.isInteger(v) && (v as number) >= 0],
  ['concurrency', 'an integer >= 1', (v) => Number.isInteger(v) && (v as number) >= 1],
  ['releaseAt', 'an epoch-milliseconds number', Number.isFinite],
];

/** Reads the warm-up request, failing loudly on a malformed one rather than running user code with it. */
export function readWarmupRequest(event: WarmupEvent): WarmupRequest {
  const request = event[WARMUP_KEY] as unknown as Record<string, unknown> | null;
  const check = (path: string, value: unknown, expected: string, valid: boolean): void => {
    if (!valid) throw new TypeError(`withResilience: warm-up payload ${WARMUP_KEY}${path} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  check('', request, 'an object', typeof request === 'object' && request !== null);
  for (const [field, expected, valid] of FIELDS) check(`.${field}`, request![field], expected, valid(request![field]));
  return request as unknown as WarmupRequest;
}
