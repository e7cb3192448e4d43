export * from './function/provisioned-concurrency';
export * from './function/resilient-function';
export * from './monitoring/alarm-options';
export * from './monitoring/alarm-topic';
export * from './circuit-breaker/circuit-breaker-table';
export * from './warmer/warmer';
export * from './warmer/warming-options';
export { InProcessBundling } from './bundling/nodejs-function-props';
export { InProcessFallback } from './bundling/fallback';
