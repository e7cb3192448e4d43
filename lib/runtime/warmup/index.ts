export { withResilience } from './with-resilience';
export type { LambdaHandler, ResilienceContext, WithResilienceOptions } from './with-resilience';
export { isWarmupEvent } from './warmup-event';
export type { WarmupEvent } from './warmup-event';
export { currentInstanceId } from './instance';
// Named in withResilience's return type: exported so handler modules compiled with `declaration: true`
// can name their handler's type.
export type { WarmupRequest, WarmupResponse } from '../../contract';
