export * from './circuit-breaker';
export * from './circuit-state';
export * from './errors';
export * from './options';
export type { BreakerEvents, BreakerEventName } from './breaker-events';
