export { FunctionPool } from './function-pool';
export type { EnvironmentInfo, FunctionPoolEvents, InvocationFacts, InvocationResult, InvokeOptions, PoolStats } from './function-pool';
export type { FunctionPoolOptions } from './options';
export type { InitializationType, LogLine, StopReason } from './environment';
export type { LambdaError } from './lambda-error';
export { startInvokeApi } from './invoke-api';
export type { InvokeApi, InvokeApiOptions } from './invoke-api';
export { resolveHandler } from './resolve-handler';
export type { ResolvedHandler } from './resolve-handler';
