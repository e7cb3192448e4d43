import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { basename, dirname, extname } from 'node:path';
import { ExecutionEnvironment, InitializationType, StopReason } from './environment';
import { LambdaError, throttleError, timeoutError } from './lambda-error';
import { FunctionPoolOptions, ResolvedPoolOptions, resolvePoolOptions } from './options';

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
}

/** The answer to one invocation: `payload` on success, `error` (Lambda's error document) otherwise. */
export interface InvocationResult {
  readonly payload?: unknown;
  readonly error?: LambdaError;
  readonly facts: InvocationFacts;
}

/** Per-call options of `FunctionPool.invoke`. */
export interface InvokeOptions {
  /** Alias or version the caller invoked, appended to context.invokedFunctionArn. */
  readonly qualifier?: string;
  /** @default - a random UUID */
  readonly requestId?: string;
  readonly clientContext?: unknown;
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
  invocation: [result: InvocationResult];
  'environment-start': [info: { environmentId: string; initializationType: InitializationType; initMs: number }];
  'environment-stop': [info: { environmentId: string; initializationType: InitializationType; reason: StopReason }];
}

/**
 * The execution environments of one function, run the way Lambda runs them: each environment (a worker thread)
 * loads the handler once and serves one request at a time; an idle one is reused, a new one is created when all
 * are busy, idle ones are evicted, provisioned ones are pre-started, requests beyond reserved concurrency are
 * throttled, and an environment that times out is killed and replaced.
 */
export class FunctionPool extends EventEmitter<FunctionPoolEvents> {
  readonly functionName: string;
  private readonly options: ResolvedPoolOptions;
  private readonly environments = new Map<string, ExecutionEnvironment>();
  private readonly counters = { invocations: 0, coldStarts: 0, throttles: 0, timeouts: 0, errors: 0 };
  private nextEnvironmentNumber = 1;
  private closed = false;

  constructor(options: FunctionPoolOptions) {
    super();
    this.options = resolvePoolOptions(options);
    this.functionName = this.options.functionName;
  }

  /** Initialises the provisioned-concurrency environments; rejects if any fails its INIT. */
  async start(): Promise<void> {
    this.assertOpen('start');
    const missing = this.options.provisionedConcurrency - this.count((e) => e.initializationType === 'provisioned-concurrency');
    const started = Array.from({ length: Math.max(0, missing) }, () => this.createEnvironment('provisioned-concurrency'));
    const outcomes = await Promise.allSettled(started.map((e) => e.ready));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) {
      const error = failure.reason as LambdaError;
      throw new Error(`FunctionPool(${this.functionName}): provisioned concurrency failed INIT: ${error.errorType}: ${error.errorMessage}`);
    }
  }

  /** Runs one request in an idle environment, or a new one, or answers with Lambda's throttle error. */
  async invoke(event: unknown, options: InvokeOptions = {}): Promise<InvocationResult> {
    this.assertOpen('invoke');
    const requestId = options.requestId ?? randomUUID();
    const eventJson = JSON.stringify(event) ?? 'null';
    this.counters.invocations++;

    let environment = this.takeIdle();
    const cold = environment === undefined;
    if (!environment) {
      // A stopping environment (timed out, its thread still terminating) no longer holds concurrency:
      // Lambda frees it when the invocation ends.
      if (this.activeEnvironments + (this.options.siblings?.environmentsElsewhere() ?? 0) >= this.concurrencyLimit) {
        this.counters.throttles++;
        return this.report({ error: throttleError(), facts: { requestId, cold: false, durationMs: 0, throttled: true, timedOut: false } });
      }
      environment = this.createEnvironment('on-demand');
      environment.busy = true;
      try {
        await environment.ready;
      } catch (err) {
        this.counters.errors++;
        const facts = { requestId, environmentId: environment.id, initializationType: environment.initializationType, cold, durationMs: 0, throttled: false, timedOut: false };
        return this.report({ error: err as LambdaError, facts });
      }
      this.counters.coldStarts++;
    }

    const started = performance.now();
    const outcome = await environment.run(
      { requestId, eventJson, invokedFunctionArn: this.arn(options.qualifier), clientContext: options.clientContext },
      this.options.timeoutMs,
    );
    const facts: InvocationFacts = {
      requestId,
      environmentId: environment.id,
      initializationType: environment.initializationType,
      cold,
      ...(cold ? { initMs: environment.initMs } : {}),
      durationMs: performance.now() - started,
      throttled: false,
      timedOut: outcome.kind === 'timeout',
    };
    this.release(environment);
    switch (outcome.kind) {
      case 'result':
        return this.report({ payload: outcome.payload, facts });
      case 'timeout':
        this.counters.timeouts++;
        return this.report({ error: timeoutError(requestId, this.options.timeoutMs), facts });
      case 'error':
        this.counters.errors++;
        return this.report({ error: outcome.error, facts });
    }
  }

  /** Environments holding concurrency: every one not stopping. */
  get activeEnvironments(): number {
    return this.count((e) => !e.stopped);
  }

  /** The version this pool runs (`$LATEST` or a published version number). */
  get functionVersion(): string {
    return this.options.functionVersion;
  }

  /** Current environments and counters. */
  get stats(): PoolStats {
    return {
      environments: this.environments.size,
      initializing: this.count((e) => e.initMs === undefined),
      idle: this.count((e) => !e.busy && e.initMs !== undefined),
      busy: this.count((e) => e.busy),
      provisioned: this.count((e) => e.initializationType === 'provisioned-concurrency'),
      ...this.counters,
    };
  }

  /** A snapshot of the environments alive now. */
  environmentList(): EnvironmentInfo[] {
    return [...this.environments.values()].map((e) => ({
      environmentId: e.id,
      initializationType: e.initializationType,
      state: e.initMs === undefined ? 'initializing' : e.busy ? 'busy' : 'idle',
      invocations: e.invocations,
      ...(e.initMs !== undefined ? { initMs: e.initMs } : {}),
    }));
  }

  /** Stops every environment; requests still running end with a Runtime.ExitError. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.environments.values()].map((e) => e.stop('closed')));
  }

  private get concurrencyLimit(): number {
    return this.options.reservedConcurrency ?? this.options.maxConcurrency;
  }

  /** Provisioned environments first (that is what they are paid for), then the most recently used. */
  private takeIdle(): ExecutionEnvironment | undefined {
    let best: ExecutionEnvironment | undefined;
    for (const e of this.environments.values()) {
      if (e.busy || e.stopped || e.initMs === undefined) continue;
      if (!best || rank(e) > rank(best)) best = e;
    }
    if (best) {
      best.busy = true;
      clearTimeout(best.idleTimer);
      best.idleTimer = undefined;
    }
    return best;
  }

  private release(environment: ExecutionEnvironment): void {
    environment.busy = false;
    environment.lastUsedAt = Date.now();
    if (environment.stopped || environment.initializationType === 'provisioned-concurrency') return;
    environment.idleTimer = setTimeout(() => {
      if (!environment.busy) void environment.stop('idle-timeout');
    }, this.options.idleTimeoutMs);
    environment.idleTimer.unref();
  }

  private createEnvironment(initializationType: InitializationType): ExecutionEnvironment {
    const o = this.options;
    const id = `${o.functionName}-${o.siblings?.nextEnvironmentNumber() ?? this.nextEnvironmentNumber++}`;
    const streamDate = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const logStreamName = `${streamDate}/[${o.functionVersion}]${randomUUID().replace(/-/g, '')}`;
    const logGroupName = `/aws/lambda/${o.functionName}`;
    const environment = new ExecutionEnvironment({
      id,
      initializationType,
      initTimeoutMs: o.initTimeoutMs,
      onLog: o.onLog,
      onStop: (e, reason) => this.onEnvironmentStop(e, reason),
      setup: {
        handlerPath: o.handlerPath,
        handlerName: o.handlerName,
        functionName: o.functionName,
        functionVersion: o.functionVersion,
        memoryMb: o.memoryMb,
        logGroupName,
        logStreamName,
      },
      env: {
        ...o.environment,
        // Lambda's reserved variables win over the function's own, as in the service.
        AWS_LAMBDA_FUNCTION_NAME: o.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: o.functionVersion,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(o.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
        AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
        AWS_LAMBDA_INITIALIZATION_TYPE: initializationType,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_REGION: o.region,
        AWS_DEFAULT_REGION: o.region,
        LAMBDA_TASK_ROOT: dirname(o.handlerPath),
        LAMBDA_RUNTIME_DIR: '/var/runtime',
        _HANDLER: `${basename(o.handlerPath, extname(o.handlerPath))}.${o.handlerName}`,
        TZ: ':UTC',
        ...(process.env.PATH !== undefined ? { PATH: process.env.PATH } : {}),
      },
    });
    this.environments.set(id, environment);
    environment.ready.then(
      () => {
        this.emit('environment-start', { environmentId: id, initializationType, initMs: environment.initMs ?? 0 });
        if (!environment.busy) this.release(environment);
      },
      // A failed INIT leaves nothing to reuse; forget it now rather than when its thread has exited.
      () => this.environments.delete(id),
    );
    return environment;
  }

  private onEnvironmentStop(environment: ExecutionEnvironment, reason: StopReason): void {
    clearTimeout(environment.idleTimer);
    this.environments.delete(environment.id);
    this.emit('environment-stop', { environmentId: environment.id, initializationType: environment.initializationType, reason });
    // A lost provisioned environment is replaced in the background, keeping the provisioned count.
    if (!this.closed && environment.initializationType === 'provisioned-concurrency' && reason !== 'init-error') {
      this.createEnvironment('provisioned-concurrency');
    }
  }

  private arn(qualifier: string | undefined): string {
    const base = `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${this.functionName}`;
    return qualifier ? `${base}:${qualifier}` : base;
  }

  private count(predicate: (e: ExecutionEnvironment) => boolean): number {
    let n = 0;
    for (const e of this.environments.values()) if (predicate(e)) n++;
    return n;
  }

  private report(result: InvocationResult): InvocationResult {
    this.emit('invocation', result);
    return result;
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new Error(`FunctionPool(${this.functionName}): ${method}() called after close()`);
  }
}

function rank(e: ExecutionEnvironment): number {
  return (e.initializationType === 'provisioned-concurrency' ? 1e15 : 0) + e.lastUsedAt;
}
