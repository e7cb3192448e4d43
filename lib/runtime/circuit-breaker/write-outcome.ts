/** Socket errors raised before a request reached DynamoDB: nothing was written. */
const NEVER_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND'];

/**
 * Whether a write that failed with `error` may still have been applied. A 4xx answer (throttled, denied,
 * invalid, condition failed) means DynamoDB refused it, and a connection that never opened sent nothing;
 * anything else — a 5xx (DynamoDB documents these as "may or may not have succeeded"), a reset connection,
 * a timeout — leaves the write in doubt.
 */
export function mayHaveApplied(error: unknown): boolean {
  const e = error as { code?: string; $metadata?: { httpStatusCode?: unknown } } | null;
  const status = e?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status >= 500 : !NEVER_SENT.includes(e?.code as string);
}

const THROTTLED = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'];

/** DynamoDB refused the request for load: nothing was applied, and a jittered retry soon may pass. */
export const isThrottled = (error: unknown): boolean => THROTTLED.includes((error as { name?: string } | null)?.name as string);
