export * from './circuit-breaker';
export * from './warmup';
