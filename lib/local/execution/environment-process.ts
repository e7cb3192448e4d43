import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Interpreter } from './interpreter';
import type { WorkerSetup } from './protocol';
import { RuntimeHost } from './runtime-host';

/** Why the process of an environment went away, as far as the pool needs to know. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** It ran past the function's memory size (heap limit). */
  readonly outOfMemory: boolean;
}

/** The process behind an environment, whichever kind it is: messages, output, termination. */
export interface EnvironmentProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  send(message: object): void;
  onMessage(listener: (message: unknown) => void): void;
  offMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: ProcessExit) => void): void;
  /** Ends it at once, even in a busy loop. */
  kill(): Promise<void>;
}

export const WORKER_FILE = `${__dirname}/environment-worker.cjs`;

/**
 * Starts the inside of an environment: a worker thread of the runner when the interpreter is the host's own
 * Node.js, else a worker thread of a child process on the runtime's Node.js binary (one per function) whose
 * working directory is the code directory, as in Lambda (LAMBDA_TASK_ROOT = cwd). The function's memory size
 * bounds the heap either way.
 */
export function startEnvironmentProcess(interpreter: Interpreter, setup: WorkerSetup, env: Record<string, string>): EnvironmentProcess {
  return interpreter.kind === 'host' ? startThread(setup, env) : RuntimeHost.for(interpreter.path, setup.taskRoot).start(setup, env);
}

function startThread(setup: WorkerSetup, env: Record<string, string>): EnvironmentProcess {
  const worker = new Worker(WORKER_FILE, {
    workerData: setup,
    env,
    stdout: true,
    stderr: true,
    // The parent's loaders (tsx, jest, inspector) stay out of the environment, as in Lambda.
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: setup.memoryMb },
  });
  let outOfMemory = false;
  worker.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') outOfMemory = true;
  });
  return {
    stdout: worker.stdout,
    stderr: worker.stderr,
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    offMessage: (listener) => worker.off('message', listener),
    onExit: (listener) => worker.on('exit', (code) => listener({ code, signal: null, outOfMemory })),
    kill: async () => {
      await worker.terminate();
    },
  };
}
