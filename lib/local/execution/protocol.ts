/*
 * Messages between the pool and an execution environment (environment-worker.cjs, a worker thread or a child
 * process). Types only: the environment side is plain JavaScript.
 */
import type { LambdaError } from './lambda-error';

/** How the function's console lines are written: Lambda's text or JSON log format. */
export type LogFormat = 'text' | 'json';

/** Fixed per environment, handed to it at creation. */
export interface WorkerSetup {
  readonly handlerPath: string;
  readonly handlerName: string;
  /** The function's `Handler` setting as written (`src/app.main`), for error messages. */
  readonly handler: string;
  /** The code directory: LAMBDA_TASK_ROOT, and where the search for a package.json "type" stops. */
  readonly taskRoot: string;
  /** Node.js major of the declared runtime; decides the handler semantics (24+: no callbacks). */
  readonly runtimeMajor: number;
  readonly logFormat: LogFormat;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** The function's /opt (its layers merged): `/opt/...` paths are served from it. */
  readonly optDirectory?: string;
  /** Open the V8 inspector on the first free port from this one (0: ephemeral) before loading the handler. */
  readonly inspector?: { readonly host: string; readonly port: number };
}

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The event as JSON text: Lambda hands the runtime JSON, never shared objects. */
  readonly eventJson: string;
  /** Epoch ms at which the invocation times out. */
  readonly deadline: number;
  readonly invokedFunctionArn: string;
  /** X-Ray trace header of this invocation, set as _X_AMZN_TRACE_ID while it runs. */
  readonly traceId: string;
  readonly clientContext?: unknown;
}

export type WorkerMessage =
  /** One console line of the handler, already in the function's log format. */
  | { readonly type: 'log'; readonly text: string }
  | { readonly type: 'ready'; readonly initMs: number }
  /** The environment's inspector listens at this WebSocket URL, or could not be opened. */
  | { readonly type: 'inspector'; readonly url?: string; readonly problem?: string }
  | { readonly type: 'init-error'; readonly error: LambdaError }
  | { readonly type: 'result'; readonly requestId: string; readonly payloadJson: string; readonly maxMemoryMb: number }
  | { readonly type: 'error'; readonly requestId: string; readonly error: LambdaError; readonly maxMemoryMb: number }
  /** A streaming handler's first byte is coming, with the response's content type. */
  | { readonly type: 'stream-start'; readonly requestId: string; readonly contentType: string }
  /** Bytes a streaming handler wrote, base64. */
  | { readonly type: 'stream-chunk'; readonly requestId: string; readonly data: string }
  /** An uncaught exception or unhandled rejection: the invocation in progress (or INIT) fails and the environment exits. */
  | { readonly type: 'crash'; readonly requestId?: string; readonly error: LambdaError; readonly exitCode: number };
