import { EnvironmentProcess, ProcessExit, startEnvironmentProcess } from './environment-process';
import type { Interpreter } from './interpreter';
import { exitError, initTimeoutError, LambdaError, outOfMemoryError } from './lambda-error';
import type { InvokeMessage, WorkerMessage, WorkerSetup } from './protocol';

/** How Lambda created an environment; exposed to the handler as `AWS_LAMBDA_INITIALIZATION_TYPE`. */
export type InitializationType = 'on-demand' | 'provisioned-concurrency';

/** Why an environment ended. */
export type StopReason = 'idle-timeout' | 'timeout' | 'crash' | 'init-error' | 'closed';

/**
 * One line of a function's log: what the handler wrote (stdout, stderr) or a line Lambda itself writes
 * (`platform`: INIT_START, START, END, REPORT, timeouts), in the pool's log format.
 */
export interface LogLine {
  readonly functionName: string;
  readonly environmentId: string;
  readonly stream: 'stdout' | 'stderr' | 'platform';
  readonly text: string;
}

/** What running one request in an environment produced. */
export type RunOutcome =
  | { readonly kind: 'result'; readonly payload: unknown; readonly maxMemoryMb?: number }
  | {
    readonly kind: 'error';
    readonly error: LambdaError;
    readonly environmentLost: boolean;
    readonly maxMemoryMb?: number;
    /** How the runtime exited when the environment was lost (`exit status 129`, `signal: killed`). */
    readonly exit?: string;
  }
  | { readonly kind: 'timeout' };

/** Where a streaming handler's response goes as it is written. */
export interface StreamListener {
  start(contentType: string): void;
  chunk(data: Buffer): void;
}

export interface EnvironmentSpec {
  readonly id: string;
  readonly setup: WorkerSetup;
  readonly env: Record<string, string>;
  /** The Node.js that runs it; the process starts once it is known (it may be installing). */
  readonly interpreter: Promise<Interpreter>;
  readonly initializationType: InitializationType;
  readonly initTimeoutMs: number;
  readonly onLog: (line: LogLine) => void;
  /** Called once when the environment ends for any reason. */
  readonly onStop: (environment: ExecutionEnvironment, reason: StopReason) => void;
  /** Where its inspector listens (`setup.inspector`), or why it could not open one. */
  readonly onInspector?: (environmentId: string, endpoint: { readonly url?: string; readonly problem?: string }) => void;
}

interface PendingRun {
  readonly requestId: string;
  readonly resolve: (outcome: RunOutcome) => void;
  readonly timer: NodeJS.Timeout | undefined;
  readonly stream?: StreamListener;
}

/**
 * One Lambda execution environment: a worker thread or child process with its own module scope and process.env
 * that loads the handler once and then serves one request at a time until it is stopped.
 */
export class ExecutionEnvironment {
  readonly id: string;
  readonly initializationType: InitializationType;
  /** Resolves when INIT finished; rejects with the Lambda error document when INIT failed. */
  readonly ready: Promise<void>;
  /** Duration of INIT (the runtime's start and the handler module's load), once known. */
  initMs: number | undefined;
  /** Set while a request runs here: the pool never hands an environment a second request. */
  busy = false;
  stopped = false;
  lastUsedAt = Date.now();
  invocations = 0;
  idleTimer: NodeJS.Timeout | undefined;

  private process: EnvironmentProcess | undefined;
  private readonly spec: EnvironmentSpec;
  private pending: PendingRun | undefined;
  private crashError: LambdaError | undefined;
  private crashExit: string | undefined;
  private stopReason: StopReason | undefined;
  private readonly bufferedText = { stdout: '', stderr: '' };

  constructor(spec: EnvironmentSpec) {
    this.spec = spec;
    this.id = spec.id;
    this.initializationType = spec.initializationType;
    this.ready = spec.interpreter.then((interpreter) => {
      if (this.stopped) throw exitError('INIT', 'environment stopped before it started');
      // Lambda's Init Duration covers starting the runtime as well as loading the function.
      const startedAt = performance.now();
      this.process = startEnvironmentProcess(interpreter, spec.setup, spec.env);
      this.pipeLogs('stdout');
      this.pipeLogs('stderr');
      this.process.onMessage((message) => this.onMessage(message as WorkerMessage));
      this.process.onExit((exit) => this.onExit(exit));
      return this.awaitInit(this.process, startedAt);
    });
    // The pool observes failures through `ready` when it needs to; never leave the rejection unobserved here.
    this.ready.catch(() => undefined);
  }

  /**
   * Runs one request; resolves with the handler's result, its error, or a timeout (which stops the environment).
   * With `enforceTimeout` false (a debugger may hold the handler at a breakpoint) the handler still sees the
   * deadline, but nothing stops it there.
   */
  run(request: Omit<InvokeMessage, 'type' | 'deadline'>, timeoutMs: number, stream?: StreamListener, enforceTimeout = true): Promise<RunOutcome> {
    if (this.pending) throw new Error(`environment ${this.id} is already serving request ${this.pending.requestId}`);
    if (this.stopped || !this.process) return Promise.resolve({ kind: 'error', error: exitError(request.requestId, 'environment stopped'), environmentLost: true });
    this.invocations++;
    const process = this.process;
    return new Promise((resolve) => {
      const timer = enforceTimeout ? setTimeout(() => {
        this.pending = undefined;
        resolve({ kind: 'timeout' });
        void this.stop('timeout');
      }, timeoutMs) : undefined;
      this.pending = { requestId: request.requestId, resolve, timer, ...(stream ? { stream } : {}) };
      const message: InvokeMessage = { type: 'invoke', ...request, deadline: Date.now() + timeoutMs };
      process.send(message);
    });
  }

  /** Ends the environment (terminating a running handler, as Lambda does on timeout). */
  async stop(reason: StopReason): Promise<void> {
    if (this.stopped) return;
    // Marked at once so the pool never hands a dying environment another request.
    this.stopped = true;
    this.stopReason ??= reason;
    if (this.process) {
      await this.process.kill();
    } else {
      // Never started (its interpreter is still being installed): nothing to kill, but the pool must hear of it.
      this.spec.onStop(this, reason);
    }
  }

  private awaitInit(process: EnvironmentProcess, startedAt: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(initTimeoutError(this.spec.initTimeoutMs));
        void this.stop('init-error');
      }, this.spec.initTimeoutMs);
      const onMessage = (raw: unknown) => {
        const message = raw as WorkerMessage;
        if (message.type === 'ready') {
          this.initMs = performance.now() - startedAt;
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
      let finished = false;
      const done = () => {
        finished = true;
        clearTimeout(timer);
        process.offMessage(onMessage);
      };
      process.onMessage(onMessage);
      process.onExit(() => {
        if (!finished) onExit();
      });
    });
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type === 'inspector') {
      this.spec.onInspector?.(this.id, message);
      return;
    }
    if (message.type === 'log') {
      this.spec.onLog({ functionName: this.spec.setup.functionName, environmentId: this.id, stream: 'stdout', text: message.text });
      return;
    }
    if (message.type === 'crash') {
      this.crashError = message.error;
      this.crashExit = `exit status ${message.exitCode}`;
      this.stopped = true;
      return;
    }
    const pending = this.pending;
    if (message.type === 'stream-start' || message.type === 'stream-chunk') {
      if (!pending?.stream || pending.requestId !== message.requestId) return;
      if (message.type === 'stream-start') pending.stream.start(message.contentType);
      else pending.stream.chunk(Buffer.from(message.data, 'base64'));
      return;
    }
    if (message.type !== 'result' && message.type !== 'error') return;
    if (!pending || pending.requestId !== message.requestId) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    if (message.type === 'result') {
      pending.resolve({ kind: 'result', payload: JSON.parse(message.payloadJson), maxMemoryMb: message.maxMemoryMb });
    } else {
      pending.resolve({ kind: 'error', error: message.error, environmentLost: false, maxMemoryMb: message.maxMemoryMb });
    }
  }

  private onExit(exit: ProcessExit): void {
    this.stopped = true;
    this.flushLogs();
    const pending = this.pending;
    if (pending) {
      clearTimeout(pending.timer);
      this.pending = undefined;
      const error = exit.outOfMemory
        ? outOfMemoryError(pending.requestId)
        : this.crashError ?? exitError(pending.requestId, this.stopReason === 'closed' ? 'pool closed' : exitDetail(exit));
      pending.resolve({ kind: 'error', error, environmentLost: true, exit: exit.outOfMemory ? 'signal: killed' : this.crashExit ?? exitDetail(exit) });
    }
    this.spec.onStop(this, this.stopReason ?? 'crash');
  }

  private pipeLogs(stream: 'stdout' | 'stderr'): void {
    const source = this.process![stream];
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
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

function exitDetail(exit: ProcessExit): string {
  return exit.signal ? `signal: ${exit.signal}` : `exit status ${exit.code}`;
}

/** Collects a streamed response when nobody reads it as a stream: Lambda's buffered Invoke returns the bytes. */
export function collectStream(): { listener: StreamListener; collected: () => StreamedResponse | undefined } {
  const chunks: Buffer[] = [];
  let contentType: string | undefined;
  return {
    listener: { start: (type) => { contentType = type; }, chunk: (data) => chunks.push(data) },
    collected: () => (contentType === undefined ? undefined : { contentType, body: Buffer.concat(chunks) }),
  };
}

/** What a streaming handler wrote, when the invocation was buffered (Lambda's Invoke API). */
export interface StreamedResponse {
  /** The stream's content type (`application/octet-stream` unless the handler set one). */
  readonly contentType: string;
  readonly body: Buffer;
}
