/** The part of the Lambda context the breaker reads. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/** Per-call options of `CircuitBreaker.execute`. */
export interface ExecuteOptions<T> {
  /** Time the invocation has left; bounds the lease of a half-open probe. */
  readonly remainingTimeMs?: number;
  /** The Lambda context, read for its remaining time when `remainingTimeMs` is not given. */
  readonly context?: LambdaContextLike;
  /** Result to use when this call is rejected or fails; overrides the breaker's `fallback`. */
  readonly fallback?: (error: unknown) => T | Promise<T>;
}

/** What `execute` takes from its second argument. */
export interface CallOptions<T> {
  readonly remainingTimeMs: number | undefined;
  readonly fallback: ((error: unknown) => T | Promise<T>) | undefined;
}

/** Reads the second argument of `execute`: options, or the Lambda context itself. */
export function readExecuteOptions<T>(circuit: string, options: ExecuteOptions<T> | LambdaContextLike | undefined): CallOptions<T> {
  if (options === undefined) return { remainingTimeMs: undefined, fallback: undefined };
  if (typeof (options as LambdaContextLike).getRemainingTimeInMillis === 'function') {
    return { remainingTimeMs: (options as LambdaContextLike).getRemainingTimeInMillis(), fallback: undefined };
  }
  const o = options as ExecuteOptions<T>;
  const remainingTimeMs = o.remainingTimeMs ?? o.context?.getRemainingTimeInMillis();
  if (remainingTimeMs !== undefined && (typeof remainingTimeMs !== 'number' || !(remainingTimeMs >= 0))) {
    throw new TypeError(`CircuitBreaker "${circuit}": remainingTimeMs must be a number >= 0, got ${String(remainingTimeMs)}`);
  }
  if (o.fallback !== undefined && typeof o.fallback !== 'function') {
    throw new TypeError(`CircuitBreaker "${circuit}": fallback must be a function, got ${typeof o.fallback}`);
  }
  return { remainingTimeMs, fallback: o.fallback };
}
