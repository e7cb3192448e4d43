export * from './in-process-bundling';
export * from './nodejs-function-props';
export { IN_PROCESS_FALLBACKS } from './fallback';
export type { InProcessFallback } from './fallback';
