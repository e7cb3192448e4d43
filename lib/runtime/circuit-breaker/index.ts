export * from './circuit-breaker';
export * from './circuit-state';
export * from './errors';
export type { CircuitBreakerOptions, Clock, StoreFailurePolicy } from './options';
export type { BreakerEvents, BreakerEventName } from './breaker-events';
