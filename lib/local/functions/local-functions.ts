import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock/clock';
import { EnvironmentInfo, FunctionPool, FunctionPoolOptions, InvocationResult, LogFormat, LogLine, PoolStats, StreamListener } from '../execution';
import type { AppModel, AsyncInvokeConfig, FunctionSpec } from '../model/specs';
import { FunctionLanes, laneOf } from './lanes';

/** One invocation as the runner reports it. */
export interface InvocationRecord {
  /** What caused it: `GET /hello`, `rule OrderRule`, `schedule Nightly`, `lambda:Invoke`, ... */
  readonly trigger: string;
  readonly function: FunctionSpec;
  readonly qualifier?: string;
  readonly result: InvocationResult;
  /** HTTP status when an API answered the request. */
  readonly status?: number;
  /** Async retry attempt (1 = first try). */
  readonly attempt?: number;
  /** The event the function was given. */
  readonly event?: unknown;
}

/** Something happened to an asynchronous invocation after the function ran. */
export interface AsyncOutcomeRecord {
  readonly function: FunctionSpec;
  readonly trigger: string;
  readonly outcome: 'retry-scheduled' | 'dead-lettered' | 'destination' | 'dropped';
  readonly detail: string;
}

export interface LocalFunctionEvents {
  invocation: [record: InvocationRecord];
  'async-outcome': [record: AsyncOutcomeRecord];
  log: [line: LogLine & { readonly function: FunctionSpec }];
  /** Said once about a function, e.g. that its runtime's Node.js is not available and the host runs it. */
  notice: [message: string];
}

/** Where asynchronous failures go: queues by ARN, and anything else the runner can deliver to. */
export interface FailureSink {
  deliver(arn: string, body: string, attributes: Record<string, string>, from: string): boolean;
}

export interface LocalFunctionsOptions {
  readonly clock: Clock;
  /** Variables every function gets on top of its own (endpoints, dummy credentials). */
  readonly injectedEnvironment: Readonly<Record<string, string>>;
  readonly sink: FailureSink;
  /** An on-demand environment idle this long is evicted. @default 300000 */
  readonly idleTimeoutMs?: number;
  /** Lambda's log format for every function's lines. @default 'text' */
  readonly logFormat?: LogFormat;
  /** Environments of these functions (by name; all when `functions` is absent) open the V8 inspector (`--inspect`). */
  readonly inspect?: { readonly host: string; readonly port: number; readonly functions?: ReadonlySet<string> };
  /** Variables given at start (`--env-vars`) by function name: they win over the template's and the injected ones. */
  readonly environmentOverrides?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** A function found by ARN or name, with the qualifier the caller used. */
export interface ResolvedFunction {
  readonly spec: FunctionSpec;
  /** The environments that serve this qualifier. */
  readonly pool: FunctionPool;
  readonly qualifier?: string;
  /** The version the qualifier runs: `$LATEST` or a published version number. */
  readonly version: string;
}

/**
 * The app's functions, each a FunctionPool of Lambda-like environments. Synchronous invocations answer
 * directly; asynchronous ones (EventBridge, Scheduler, `Event` invokes) get Lambda's retry behaviour on the
 * runner's clock (throttles retried until the event is too old, errors retried per EventInvokeConfig, one and
 * then two minutes apart) and end in the on-failure destination and the function's dead-letter queue.
 */
export class LocalFunctions extends EventEmitter<LocalFunctionEvents> {
  private readonly pools = new Map<string, FunctionLanes>();
  /** Invocations their caller reports (it knows the HTTP status), by request id, with the event the pool saw. */
  private readonly reportedByCaller = new Map<string, { event?: unknown }>();
  /** Notices already said: a function's pools (one per version or alias) would each say the same one. */
  private readonly noticesSaid = new Set<string>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly cancels = new Set<() => void>();
  private closed = false;

  constructor(private readonly model: AppModel, private readonly options: LocalFunctionsOptions) {
    super();
    for (const spec of model.functions) this.pools.set(spec.functionName, this.createLanes(spec));
  }

  private createLanes(spec: FunctionSpec): FunctionLanes {
    const lanes = new Map<string, FunctionPool>();
    let environments = 0;
    const siblingsOf = (key: string) => ({
      environmentsElsewhere: () => [...lanes].reduce((n, [k, p]) => (k === key ? n : n + p.activeEnvironments), 0),
      nextEnvironmentNumber: () => ++environments,
    });
    for (const qualifier of [undefined, ...Object.keys(spec.qualifiers)]) {
      const lane = laneOf(spec, qualifier)!;
      // What invocations that reach this pool directly (the Invoke API) are reported under.
      const label = lane.provisioned > 0 ? qualifier : lane.version === '$LATEST' ? undefined : lane.version;
      if (!lanes.has(lane.key)) lanes.set(lane.key, this.createPool(spec, lane.version, lane.provisioned, siblingsOf(lane.key), label));
    }
    return { spec, lanes };
  }

  private createPool(spec: FunctionSpec, version: string, provisioned: number, siblings: FunctionPoolOptions['siblings'], label?: string): FunctionPool {
    const options = this.options;
    const pool = new FunctionPool({
      functionName: spec.functionName,
      handlerPath: spec.handlerPath,
      handlerName: spec.handlerName,
      handler: spec.handler,
      codeDirectory: spec.codeDirectory,
      ...(spec.optDirectory ? { optDirectory: spec.optDirectory } : {}),
      ...(options.inspect && (!options.inspect.functions || options.inspect.functions.has(spec.functionName)) ? { inspector: { host: options.inspect.host, port: options.inspect.port } } : {}),
      runtime: spec.runtime,
      // --log-format json turns every function to JSON; otherwise each keeps its own LoggingConfig.
      logFormat: options.logFormat === 'json' ? 'json' : spec.logFormat ?? 'text',
      onNotice: (message) => {
        if (this.noticesSaid.has(message)) return;
        this.noticesSaid.add(message);
        this.emit('notice', message);
      },
      environment: {
        ...spec.environment, ...options.injectedEnvironment, ...(spec.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: spec.applicationLogLevel } : {}),
        ...options.environmentOverrides?.get(spec.functionName),
      },
      timeoutMs: spec.timeoutMs,
      memoryMb: spec.memoryMb,
      ...(spec.reservedConcurrency !== undefined ? { reservedConcurrency: spec.reservedConcurrency } : {}),
      provisionedConcurrency: Math.min(provisioned, spec.reservedConcurrency ?? Infinity),
      functionVersion: version,
      siblings,
      idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
      region: this.model.region,
      accountId: this.model.account,
      // Lines nobody reads (the CLI's --quiet) cost nothing more per invocation.
      onLog: (line) => {
        if (this.listenerCount('log') > 0) this.emit('log', { ...line, function: spec });
      },
    });
    // Invocations that arrive through the Invoke API (the warmer, SDK calls) are reported from here.
    pool.on('invocation', (result, event) => {
      const byCaller = this.reportedByCaller.get(result.facts.requestId);
      if (byCaller) byCaller.event = event;
      else this.emit('invocation', { trigger: 'lambda:Invoke', function: spec, ...(label ? { qualifier: label } : {}), result, event });
    });
    return pool;
  }

  /**
   * Replaces every environment of a function with fresh ones, as Lambda does when it recycles environments
   * (or after a deployment): module scope and caches start over. Requests in flight finish on the old ones.
   */
  async recycle(nameOrArn: string): Promise<void> {
    const found = this.resolve(nameOrArn);
    if (!found) throw new Error(`LocalFunctions.recycle: no function ${JSON.stringify(nameOrArn)}`);
    await this.replace(found.spec);
  }

  /**
   * Serves a function from new environments built from `spec` (its new code or configuration: `--watch`): new
   * invocations go to them at once, invocations in flight finish on the old ones, which close after them.
   */
  async replace(spec: FunctionSpec): Promise<void> {
    const old = this.pools.get(spec.functionName);
    const fresh = this.createLanes(spec);
    this.pools.set(spec.functionName, fresh);
    await Promise.all([...fresh.lanes.values()].map((p) => p.start()));
    if (!old) return;
    await this.settled();
    await Promise.all([...old.lanes.values()].map((p) => p.close()));
  }

  /** Pre-starts provisioned concurrency of every function; rejects with the functions that failed INIT. */
  async start(): Promise<void> {
    const outcomes = await Promise.allSettled(this.allPools().map((p) => p.start()));
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as Error).message);
    if (failures.length > 0) throw new Error(failures.join('\n'));
  }

  /** Every function, unqualified (its `$LATEST` environments). */
  get all(): ResolvedFunction[] {
    return [...this.pools.values()].map((f) => this.lane(f, undefined)!);
  }

  /** Counters of all environments of a function, whatever version or alias they serve. */
  statsOf(functionName: string): PoolStats {
    const totals: Record<string, number> = {};
    for (const pool of this.pools.get(functionName)?.lanes.values() ?? []) {
      for (const [key, value] of Object.entries(pool.stats)) totals[key] = (totals[key] ?? 0) + value;
    }
    return totals as unknown as PoolStats;
  }

  /** The environments alive now of a function, whatever version or alias they serve. */
  environmentsOf(functionName: string): EnvironmentInfo[] {
    return [...this.pools.get(functionName)?.lanes.values() ?? []].flatMap((pool) => pool.environmentList());
  }

  /**
   * Finds a function by name, `name:qualifier`, ARN (function, version or alias), logical id or display name;
   * undefined when there is no such function, or it has no such alias or version.
   */
  resolve(nameOrArn: string, qualifier?: string): ResolvedFunction | undefined {
    const target = this.model.functionTargets.get(nameOrArn);
    if (target) {
      const found = this.pools.get(target.functionName);
      return found && this.lane(found, qualifier ?? target.qualifier);
    }
    const [name, q] = nameOrArn.startsWith('arn:') ? [nameOrArn.split(':')[6], nameOrArn.split(':')[7]] : nameOrArn.split(':');
    const found = this.pools.get(name) ?? [...this.pools.values()].find((f) => f.spec.logicalId === name || f.spec.displayName === name);
    return found && this.lane(found, qualifier ?? q);
  }

  private lane(f: FunctionLanes, qualifier: string | undefined): ResolvedFunction | undefined {
    const lane = laneOf(f.spec, qualifier);
    if (!lane) return undefined;
    return { spec: f.spec, pool: f.lanes.get(lane.key)!, version: lane.version, ...(qualifier ? { qualifier } : {}) };
  }

  private allPools(): FunctionPool[] {
    return [...this.pools.values()].flatMap((f) => [...f.lanes.values()]);
  }

  /**
   * Runs a synchronous (RequestResponse) invocation; the caller reports it (it knows the outcome best).
   * `stream` receives a streaming handler's response as it is written (function URLs in RESPONSE_STREAM mode).
   */
  async invoke(fn: ResolvedFunction, event: unknown, stream?: StreamListener): Promise<InvocationResult> {
    const requestId = randomUUID();
    this.reportedByCaller.set(requestId, {});
    return this.track(fn.pool.invoke(event, { requestId, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), ...(stream ? { stream } : {}) }));
  }

  /** Reports an invocation the caller ran with `invoke`. */
  report(record: InvocationRecord): void {
    const byCaller = this.reportedByCaller.get(record.result.facts.requestId);
    this.reportedByCaller.delete(record.result.facts.requestId);
    this.emit('invocation', byCaller && 'event' in byCaller ? { ...record, event: byCaller.event } : record);
  }

  /**
   * Queues an asynchronous invocation (`InvocationType: Event`) and returns at once, as Lambda does.
   * Returns false when the ARN names no function of the app (the caller's delivery failed).
   */
  invokeAsync(arn: string, event: unknown, trigger: string, qualifier?: string): boolean {
    const fn = this.resolve(arn, qualifier);
    if (!fn) return false;
    const config = this.asyncConfig(fn);
    const receivedAt = this.options.clock.now();
    const attempt = (n: number): void => {
      if (this.closed) return;
      const requestId = randomUUID();
      this.reportedByCaller.set(requestId, {});
      const run = fn.pool.invoke(event, { requestId, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}) }).then((result) => {
        this.reportedByCaller.delete(requestId);
        this.emit('invocation', { trigger, function: fn.spec, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), result, attempt: n, event });
        this.afterAsync(fn, config, event, trigger, result, n, receivedAt, attempt);
      });
      this.track(run);
    };
    attempt(1);
    return true;
  }

  private afterAsync(
    fn: ResolvedFunction, config: AsyncInvokeConfig, event: unknown, trigger: string, result: InvocationResult,
    n: number, receivedAt: number, attempt: (n: number) => void,
  ): void {
    const clock = this.options.clock;
    const age = clock.now() - receivedAt;
    if (!result.error) {
      if (config.onSuccessArn) this.toDestination(fn, config.onSuccessArn, 'Success', event, result, n, trigger);
      return;
    }
    // Throttles are retried (backing off up to 5 minutes) until the event is too old; errors by the retry count.
    const throttled = result.facts.throttled;
    const delay = throttled ? Math.min(300_000, 1000 * 2 ** Math.min(n - 1, 9)) : n === 1 ? 60_000 : 120_000;
    const young = age + delay <= config.maximumEventAgeSeconds * 1000;
    if (young && (throttled || n <= config.maximumRetryAttempts)) {
      this.emit('async-outcome', { function: fn.spec, trigger, outcome: 'retry-scheduled', detail: `${result.error.errorType}; retry ${n} in ${delay / 1000} s` });
      const cancel = clock.at(clock.now() + delay, () => {
        this.cancels.delete(cancel);
        attempt(n + 1);
      });
      this.cancels.add(cancel);
      return;
    }
    const condition = young ? 'RetriesExhausted' : 'EventAgeExceeded';
    // The on-failure destination gets the invocation record; the dead-letter queue is the fallback for the event.
    let kept = false;
    if (config.onFailureArn) kept = this.toDestination(fn, config.onFailureArn, condition, event, result, n, trigger);
    if (!kept && fn.spec.deadLetterArn) {
      const delivered = this.options.sink.deliver(fn.spec.deadLetterArn, JSON.stringify(event), {
        RequestID: result.facts.requestId,
        ErrorCode: '200',
        ErrorMessage: result.error.errorMessage,
      }, fn.spec.displayName);
      if (delivered) this.emit('async-outcome', { function: fn.spec, trigger, outcome: 'dead-lettered', detail: `${result.error.errorType} after ${n} attempt(s) -> dead-letter queue` });
      kept = kept || delivered;
    }
    if (!kept) this.emit('async-outcome', { function: fn.spec, trigger, outcome: 'dropped', detail: `${result.error.errorType} after ${n} attempt(s); no destination or dead-letter queue` });
  }

  private toDestination(fn: ResolvedFunction, arn: string, condition: string, event: unknown, result: InvocationResult, n: number, trigger: string): boolean {
    const record = {
      version: '1.0',
      timestamp: new Date(this.options.clock.now()).toISOString(),
      requestContext: { requestId: result.facts.requestId, functionArn: `${fn.spec.arn}${fn.qualifier ? `:${fn.qualifier}` : ''}`, condition, approximateInvokeCount: n },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: fn.version, ...(result.error ? { functionError: 'Unhandled' } : {}) },
      responsePayload: result.error ?? result.payload,
    };
    const delivered = this.options.sink.deliver(arn, JSON.stringify(record), {}, fn.spec.displayName);
    this.emit('async-outcome', { function: fn.spec, trigger, outcome: 'destination', detail: `${condition} -> ${arn}${delivered ? '' : ' (not emulated, dropped)'}` });
    return delivered;
  }

  private asyncConfig(fn: ResolvedFunction): AsyncInvokeConfig {
    const configs = this.model.asyncConfigs;
    return configs.get(`${fn.spec.functionName}:${fn.qualifier ?? '$LATEST'}`)
      ?? configs.get(`${fn.spec.functionName}:$LATEST`)
      ?? { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };
  }

  /** Resolves once every invocation started so far (and those they started) has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancels.forEach((c) => c());
    await Promise.all(this.allPools().map((p) => p.close()));
  }
}
