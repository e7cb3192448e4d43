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
