export * from './in-process-bundling';
export { IN_PROCESS_FALLBACKS, InProcessFallback } from './fallback';
