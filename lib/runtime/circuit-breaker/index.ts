export * from './circuit-breaker';
export type { ExecuteOptions, LambdaContextLike } from './execute-options';
export * from './circuit-state';
export * from './errors';
export type { CircuitBreakerOptions, Clock, StoreFailurePolicy } from './options';
export type { BreakerEvents, BreakerEventName } from './breaker-events';
