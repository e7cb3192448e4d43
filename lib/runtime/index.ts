export * from './warmup';
