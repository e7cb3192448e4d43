import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { extname, relative } from 'node:path';
import { collectStream, ExecutionEnvironment, InitializationType, StopReason } from './environment';
import { chooseInterpreter, Interpreter, InterpreterChoice } from './interpreter';
import { LambdaError, throttleError, timeoutError } from './lambda-error';
import { FunctionPoolOptions, ResolvedPoolOptions, resolvePoolOptions } from './options';
import { lambdaVariables, newTraceId, workerSetup } from './lambda-environment';
import { PlatformLog } from './platform-log';
import type { EnvironmentInfo, FunctionPoolEvents, InvocationFacts, InvocationResult, InvokeOptions, PoolStats } from './pool-types';

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
  private interpreterChoice: Promise<InterpreterChoice> | undefined;
  private readonly platform: PlatformLog;

  constructor(options: FunctionPoolOptions) {
    super();
    this.options = resolvePoolOptions(options);
    this.functionName = this.options.functionName;
    this.platform = new PlatformLog(this.options.logFormat, (environmentId, text) =>
      this.options.onLog({ functionName: this.functionName, environmentId, stream: 'platform', text }));
  }

  /**
   * The Node.js that runs this function's environments: its runtime's major (installed from npm once when the host
   * runs another), else the host, said once per function.
   */
  interpreter(): Promise<Interpreter> {
    this.interpreterChoice ??= chooseInterpreter(this.options.runtime).then((choice) => {
      if (choice.fallbackReason) {
        this.options.onNotice(`${this.functionName}: declared runtime ${this.options.runtime}, but ${choice.fallbackReason}. ` +
          `It runs on this machine's Node.js ${process.version} in a worker thread instead (handler semantics still follow ${this.options.runtime}).`);
      }
      return choice;
    });
    return this.interpreterChoice.then((c) => c.interpreter);
  }

  /** Initialises the provisioned-concurrency environments; rejects if any fails its INIT. */
  async start(): Promise<void> {
    this.assertOpen('start');
    // Any install of the runtime's Node.js happens here, before the first request.
    await this.interpreter();
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
    const traceId = options.traceId ?? newTraceId();
    const report = (result: InvocationResult) => this.report(result, event);
    this.counters.invocations++;

    let environment = this.takeIdle();
    const cold = environment === undefined;
    if (!environment) {
      // A stopping environment (timed out, its thread still terminating) no longer holds concurrency:
      // Lambda frees it when the invocation ends.
      if (this.activeEnvironments + (this.options.siblings?.environmentsElsewhere() ?? 0) >= this.concurrencyLimit) {
        this.counters.throttles++;
        return report({ error: throttleError(), facts: { requestId, cold: false, durationMs: 0, throttled: true, timedOut: false } });
      }
      environment = this.createEnvironment('on-demand');
      environment.busy = true;
      const initStarted = performance.now();
      try {
        await environment.ready;
      } catch (err) {
        this.counters.errors++;
        const error = err as LambdaError;
        const initMs = performance.now() - initStarted;
        this.platform.initFailed(environment.id, initMs, error.errorType);
        this.platform.start(environment.id, requestId, this.options.functionVersion);
        this.platform.end(environment.id, requestId);
        this.platform.report(environment.id, { requestId, durationMs: 0, memorySizeMb: this.options.memoryMb, status: 'error', errorType: error.errorType });
        const facts = { requestId, environmentId: environment.id, initializationType: environment.initializationType, cold, durationMs: 0, throttled: false, timedOut: false };
        return report({ error, facts });
      }
      this.counters.coldStarts++;
    }

    this.platform.start(environment.id, requestId, this.options.functionVersion);
    const streamed = options.stream ? undefined : collectStream();
    const started = performance.now();
    const outcome = await environment.run(
      { requestId, eventJson, invokedFunctionArn: this.arn(options.qualifier), clientContext: options.clientContext, traceId },
      this.options.timeoutMs,
      options.stream ?? streamed?.listener,
      // A debugger holding the handler at a breakpoint must not time it out (as SAM does while debugging).
      this.options.inspector === undefined,
    );
    const durationMs = performance.now() - started;
    const maxMemoryUsedMb = outcome.kind === 'timeout' ? undefined : outcome.maxMemoryMb;
    this.platform.invocationEnded(environment.id, {
      requestId, outcome, durationMs, timeoutMs: this.options.timeoutMs, memorySizeMb: this.options.memoryMb, maxMemoryUsedMb,
      // Lambda bills INIT with the first request of an on-demand environment; provisioned INIT happened before.
      ...(cold && environment.initMs !== undefined && environment.initializationType === 'on-demand' ? { initMs: environment.initMs } : {}),
    });
    const facts: InvocationFacts = {
      requestId,
      environmentId: environment.id,
      initializationType: environment.initializationType,
      cold,
      ...(cold ? { initMs: environment.initMs } : {}),
      durationMs,
      throttled: false,
      timedOut: outcome.kind === 'timeout',
      ...(maxMemoryUsedMb !== undefined ? { maxMemoryUsedMb } : {}),
    };
    this.release(environment);
    switch (outcome.kind) {
      case 'result': {
        // A streaming handler's bytes become the payload (as text; `streamed` keeps the bytes and content type).
        const collected = streamed?.collected();
        return report(collected ? { payload: collected.body.toString('utf8'), streamed: collected, facts } : { payload: outcome.payload, facts });
      }
      case 'timeout':
        this.counters.timeouts++;
        return report({ error: timeoutError(requestId, this.options.timeoutMs), facts });
      case 'error':
        this.counters.errors++;
        return report({ error: outcome.error, facts });
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

  /** The `Handler` setting: as given, else derived from the file's path inside the code directory. */
  private get handlerSetting(): string {
    const o = this.options;
    if (o.handler) return o.handler;
    const file = relative(o.codeDirectory, o.handlerPath);
    return `${file.slice(0, file.length - extname(file).length)}.${o.handlerName}`;
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
    // Inspected environments stay, so the debugger attached to one stays attached.
    if (environment.stopped || environment.initializationType === 'provisioned-concurrency' || this.options.inspector) return;
    environment.idleTimer = setTimeout(() => {
      if (!environment.busy) void environment.stop('idle-timeout');
    }, this.options.idleTimeoutMs);
    environment.idleTimer.unref();
  }

  private createEnvironment(initializationType: InitializationType): ExecutionEnvironment {
    const o = this.options;
    const id = `${o.functionName}-${o.siblings?.nextEnvironmentNumber() ?? this.nextEnvironmentNumber++}`;
    const setup = workerSetup(o, this.handlerSetting);
    const interpreter = this.interpreter();
    // INIT_START comes first in the log, before anything the module prints while it loads.
    void interpreter.then((i) => this.platform.initStart(id, {
      runtimeVersion: `nodejs:${i.major}.local-${i.version}`,
      runtimeVersionArn: `arn:aws:lambda:${o.region}::runtime:local-node-${i.version}`,
      initializationType, functionName: o.functionName, functionVersion: o.functionVersion,
    }));
    const environment = new ExecutionEnvironment({
      id,
      initializationType,
      initTimeoutMs: o.initTimeoutMs,
      onLog: o.onLog,
      onStop: (e, reason) => this.onEnvironmentStop(e, reason),
      onInspector: (environmentId, endpoint) => this.options.onNotice(endpoint.url
        ? `${environmentId}: debugger listening on ${endpoint.url} (attach to ${new URL(endpoint.url).host}: chrome://inspect, or VS Code "Attach"); its timeout is not enforced while inspected`
        : `${environmentId}: no debugger (${endpoint.problem})`),
      interpreter,
      setup,
      env: lambdaVariables(o, setup, initializationType),
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

  private report(result: InvocationResult, event: unknown): InvocationResult {
    this.emit('invocation', result, event);
    return result;
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new Error(`FunctionPool(${this.functionName}): ${method}() called after close()`);
  }
}

function rank(e: ExecutionEnvironment): number {
  return (e.initializationType === 'provisioned-concurrency' ? 1e15 : 0) + e.lastUsedAt;
}
