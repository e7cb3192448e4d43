import type { InitializationType, StopReason, StreamedResponse, StreamListener } from './environment';
import type { LambdaError } from './lambda-error';

/** What happened to one invocation, beyond its payload: the facts a Lambda REPORT line carries and more. */
export interface InvocationFacts {
  readonly requestId: string;
  /** The environment that served the request; absent when throttled. */
  readonly environmentId?: string;
  readonly initializationType?: InitializationType;
  /** True when this request waited for its environment's INIT. */
  readonly cold: boolean;
  /** INIT duration of the environment, present on cold invocations. */
  readonly initMs?: number;
  /** Handler time, INIT excluded: what Lambda reports as Duration. */
  readonly durationMs: number;
  readonly throttled: boolean;
  readonly timedOut: boolean;
  /** Peak memory of the environment, as the REPORT line shows it. */
  readonly maxMemoryUsedMb?: number;
}

/** The answer to one invocation: `payload` on success, `error` (Lambda's error document) otherwise. */
export interface InvocationResult {
  readonly payload?: unknown;
  readonly error?: LambdaError;
  /** Set when a streaming handler answered a buffered invocation: its bytes and content type, as Lambda's Invoke returns them. */
  readonly streamed?: StreamedResponse;
  readonly facts: InvocationFacts;
}

/** Per-call options of `FunctionPool.invoke`. */
export interface InvokeOptions {
  /** Alias or version the caller invoked, appended to context.invokedFunctionArn. */
  readonly qualifier?: string;
  /** @default - a random UUID */
  readonly requestId?: string;
  readonly clientContext?: unknown;
  /** X-Ray trace header (`Root=1-...;Parent=...;Sampled=0`) the handler sees as _X_AMZN_TRACE_ID. @default - a new trace */
  readonly traceId?: string;
  /**
   * Receives a streaming handler's response as it is written (function URLs in RESPONSE_STREAM mode).
   * @default - the streamed bytes become the payload, as text
   */
  readonly stream?: StreamListener;
}

/** Counters since the pool started, and the environments it holds now. */
export interface PoolStats {
  readonly environments: number;
  readonly initializing: number;
  readonly idle: number;
  readonly busy: number;
  readonly provisioned: number;
  readonly invocations: number;
  readonly coldStarts: number;
  readonly throttles: number;
  readonly timeouts: number;
  readonly errors: number;
}

/** One environment as `FunctionPool.environmentList()` reports it. */
export interface EnvironmentInfo {
  readonly environmentId: string;
  readonly initializationType: InitializationType;
  readonly state: 'initializing' | 'idle' | 'busy';
  readonly invocations: number;
  readonly initMs?: number;
}

/** Events a FunctionPool emits, for live logs and summaries. */
export interface FunctionPoolEvents {
  /** Every invocation once it ended, with the event it was given (the local dashboard shows both). */
  invocation: [result: InvocationResult, event: unknown];
  'environment-start': [info: { environmentId: string; initializationType: InitializationType; initMs: number }];
  'environment-stop': [info: { environmentId: string; initializationType: InitializationType; reason: StopReason }];
}
