export { withResilience } from './with-resilience';
export type { LambdaHandler, ResilienceContext, WithResilienceOptions } from './with-resilience';
export { isWarmupEvent } from './warmup-event';
export type { WarmupEvent } from './warmup-event';
export { currentInstanceId } from './instance';
