/** The error document Lambda returns as the payload of a failed invocation. */
export interface LambdaError {
  /** e.g. `TypeError`, `Sandbox.Timedout`, `Runtime.ImportModuleError`, `TooManyRequestsException`. */
  readonly errorType: string;
  readonly errorMessage: string;
  /** Stack trace lines, as the Node.js runtime reports them. */
  readonly trace: readonly string[];
}

/** Lambda's answer to an invocation beyond the function's reserved concurrency (HTTP 429 from the Invoke API). */
export function throttleError(): LambdaError {
  return {
    errorType: 'TooManyRequestsException',
    errorMessage: 'Rate Exceeded. (Reason: ReservedFunctionConcurrentInvocationLimitExceeded)',
    trace: [],
  };
}

/** Lambda's answer when the handler runs past the function timeout; the environment is then discarded. */
export function timeoutError(requestId: string, timeoutMs: number): LambdaError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
    trace: [],
  };
}

/** The environment ended while serving (crash, close, out of memory) without the handler answering. */
export function exitError(requestId: string, detail: string): LambdaError {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${detail}`,
    trace: [],
  };
}

/** INIT ran past its limit (Lambda allows 10 s of INIT for on-demand environments). */
export function initTimeoutError(initTimeoutMs: number): LambdaError {
  return {
    errorType: 'Runtime.InitTimeout',
    errorMessage: `INIT timed out after ${(initTimeoutMs / 1000).toFixed(2)} seconds`,
    trace: [],
  };
}

/** The environment used more memory than the function's memory size and was killed. */
export function outOfMemoryError(requestId: string): LambdaError {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
    trace: [],
  };
}
