/*
 * Messages between the pool (main thread) and an execution environment (worker thread,
 * environment-worker.cjs). Types only: the worker is plain JavaScript.
 */
import type { LambdaError } from './lambda-error';

/** Fixed per environment, handed to the worker at creation. */
export interface WorkerSetup {
  readonly handlerPath: string;
  readonly handlerName: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The event as JSON text: Lambda hands the runtime JSON, never shared objects. */
  readonly eventJson: string;
  /** Epoch ms at which the invocation times out. */
  readonly deadline: number;
  readonly invokedFunctionArn: string;
  readonly clientContext?: unknown;
}

export type WorkerMessage =
  | { readonly type: 'ready'; readonly initMs: number }
  | { readonly type: 'init-error'; readonly error: LambdaError }
  | { readonly type: 'result'; readonly requestId: string; readonly payloadJson: string }
  | { readonly type: 'error'; readonly requestId: string; readonly error: LambdaError }
  | { readonly type: 'crash'; readonly error: LambdaError };
