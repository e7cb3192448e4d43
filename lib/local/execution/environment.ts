import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { exitError, initTimeoutError, LambdaError, outOfMemoryError } from './lambda-error';
import type { InvokeMessage, WorkerMessage, WorkerSetup } from './protocol';

/** How Lambda created an environment; exposed to the handler as `AWS_LAMBDA_INITIALIZATION_TYPE`. */
export type InitializationType = 'on-demand' | 'provisioned-concurrency';

/** Why an environment ended. */
export type StopReason = 'idle-timeout' | 'timeout' | 'crash' | 'init-error' | 'closed';

/** One line a handler wrote to stdout or stderr, tagged with the environment that wrote it. */
export interface LogLine {
  readonly functionName: string;
  readonly environmentId: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** What running one request in an environment produced. */
export type RunOutcome =
  | { readonly kind: 'result'; readonly payload: unknown }
  | { readonly kind: 'error'; readonly error: LambdaError; readonly environmentLost: boolean }
  | { readonly kind: 'timeout' };

export interface EnvironmentSpec {
  readonly id: string;
  readonly setup: WorkerSetup;
  readonly env: Record<string, string>;
  readonly initializationType: InitializationType;
  readonly initTimeoutMs: number;
  readonly onLog: (line: LogLine) => void;
  /** Called once when the environment ends for any reason. */
  readonly onStop: (environment: ExecutionEnvironment, reason: StopReason) => void;
}

const WORKER_FILE = join(__dirname, 'environment-worker.cjs');

interface PendingRun {
  readonly requestId: string;
  readonly resolve: (outcome: RunOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One Lambda execution environment: a worker thread with its own module scope and process.env that loads the
 * handler once and then serves one request at a time until it is stopped.
 */
export class ExecutionEnvironment {
  readonly id: string;
  readonly initializationType: InitializationType;
  /** Resolves when INIT finished; rejects with the Lambda error document when INIT failed. */
  readonly ready: Promise<void>;
  /** Duration of the handler module's load (the function's INIT), once known. */
  initMs: number | undefined;
  /** Set while a request runs here: the pool never hands an environment a second request. */
  busy = false;
  stopped = false;
  lastUsedAt = Date.now();
  invocations = 0;
  idleTimer: NodeJS.Timeout | undefined;

  private readonly worker: Worker;
  private readonly spec: EnvironmentSpec;
  private pending: PendingRun | undefined;
  private crashError: LambdaError | undefined;
  private stopReason: StopReason | undefined;
  private readonly bufferedText = { stdout: '', stderr: '' };

  constructor(spec: EnvironmentSpec) {
    this.spec = spec;
    this.id = spec.id;
    this.initializationType = spec.initializationType;
    this.worker = new Worker(WORKER_FILE, {
      workerData: spec.setup,
      env: spec.env,
      stdout: true,
      stderr: true,
      // The parent's loaders (tsx, jest, inspector) stay out of the environment, as in Lambda.
      execArgv: [],
      // The function's memory size bounds its heap; exceeding it ends the environment like Lambda's OOM kill.
      resourceLimits: { maxOldGenerationSizeMb: spec.setup.memoryMb },
    });
    this.pipeLogs('stdout');
    this.pipeLogs('stderr');
    this.ready = this.awaitInit();
    // The pool observes failures through `ready` when it needs to; never leave the rejection unobserved here.
    this.ready.catch(() => undefined);
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (err: Error & { code?: string }) => {
      this.crashError ??=
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? outOfMemoryError(this.pending?.requestId ?? 'INIT')
          : { errorType: err.name || 'Error', errorMessage: err.message, trace: err.stack?.split('\n') ?? [] };
    });
    this.worker.on('exit', (code) => this.onExit(code));
  }

  /** Runs one request; resolves with the handler's result, its error, or a timeout (which stops the environment). */
  run(request: Omit<InvokeMessage, 'type' | 'deadline'>, timeoutMs: number): Promise<RunOutcome> {
    if (this.pending) throw new Error(`environment ${this.id} is already serving request ${this.pending.requestId}`);
    if (this.stopped) return Promise.resolve({ kind: 'error', error: exitError(request.requestId, 'environment stopped'), environmentLost: true });
    this.invocations++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolve({ kind: 'timeout' });
        void this.stop('timeout');
      }, timeoutMs);
      this.pending = { requestId: request.requestId, resolve, timer };
      const message: InvokeMessage = { type: 'invoke', ...request, deadline: Date.now() + timeoutMs };
      this.worker.postMessage(message);
    });
  }

  /** Ends the environment (terminating a running handler, as Lambda does on timeout). */
  async stop(reason: StopReason): Promise<void> {
    if (this.stopped) return;
    // Marked at once so the pool never hands a dying environment another request.
    this.stopped = true;
    this.stopReason ??= reason;
    await this.worker.terminate();
  }

  private awaitInit(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(initTimeoutError(this.spec.initTimeoutMs));
        void this.stop('init-error');
      }, this.spec.initTimeoutMs);
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') {
          this.initMs = message.initMs;
          done();
          resolve();
        } else if (message.type === 'init-error') {
          done();
          reject(message.error);
          void this.stop('init-error');
        }
      };
      const onExit = () => {
        done();
        reject(this.crashError ?? exitError('INIT', 'environment exited during INIT'));
      };
      const done = () => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
      };
      this.worker.on('message', onMessage);
      this.worker.on('exit', onExit);
    });
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type === 'crash') {
      this.crashError = message.error;
      this.stopped = true;
      return;
    }
    if (message.type !== 'result' && message.type !== 'error') return;
    const pending = this.pending;
    if (!pending || pending.requestId !== message.requestId) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    if (message.type === 'result') {
      pending.resolve({ kind: 'result', payload: JSON.parse(message.payloadJson) });
    } else {
      pending.resolve({ kind: 'error', error: message.error, environmentLost: false });
    }
  }

  private onExit(code: number): void {
    this.stopped = true;
    this.flushLogs();
    const pending = this.pending;
    if (pending) {
      clearTimeout(pending.timer);
      this.pending = undefined;
      const error = this.crashError ?? exitError(pending.requestId, this.stopReason === 'closed' ? 'pool closed' : `exit code ${code}`);
      pending.resolve({ kind: 'error', error, environmentLost: true });
    }
    this.spec.onStop(this, this.stopReason ?? 'crash');
  }

  private pipeLogs(stream: 'stdout' | 'stderr'): void {
    this.worker[stream].setEncoding('utf8');
    this.worker[stream].on('data', (chunk: string) => {
      const text = this.bufferedText[stream] + chunk;
      const lines = text.split('\n');
      this.bufferedText[stream] = lines.pop() ?? '';
      for (const line of lines) this.spec.onLog({ functionName: this.spec.setup.functionName, environmentId: this.id, stream, text: line });
    });
  }

  private flushLogs(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.bufferedText[stream]) {
        this.spec.onLog({ functionName: this.spec.setup.functionName, environmentId: this.id, stream, text: this.bufferedText[stream] });
        this.bufferedText[stream] = '';
      }
    }
  }
}
