import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCloudAssembly, selectStacks } from './assembly/cloud-assembly';
import { LocalAuth } from './auth/local-auth';
import { Clock, RealClock } from './clock/clock';
import { prepareRunnerDependencies, runnerCache } from './dependencies/runner-dependencies';
import { DUMMY_CREDENTIALS, LocalDynamo } from './dynamodb/local-dynamo';
import { LocalRunnerError } from './errors';
import { LocalEventBuses, PutEventsEntry } from './events/event-bus';
import { EventsServer } from './events/events-server';
import { LocalScheduler } from './events/local-scheduler';
import { DashboardFeed } from './dashboard/dashboard-feed';
import { DashboardServer } from './dashboard/dashboard-server';
import { startInvokeApi, InvocationResult, InvokeApi } from './execution';
import { inspectedFunctions } from './functions/inspected-functions';
import { InvocationRecord, LocalFunctions, LocalFunctionsOptions } from './functions/local-functions';
import { ApiServer } from './http/api-server';
import { buildAppModel } from './model/app-model';
import type { ApiSpec, AppModel } from './model/specs';
import { validateModel } from './model/validate-model';
import { functionRecord, runnerRecord } from './observe/json-records';
import { BreakerWatch } from './observe/breaker-watch';
import { eventToTry } from './observe/event-suggestion';
import { format } from './observe/live-log';
import { formatSummary, RunSummary } from './observe/run-summary';
import { shortEnvironmentId } from './observe/short-id';
import { unservedTarget } from './observe/unserved-route';
import { assembleOptDirectories } from './layers/opt-directory';
import { checkEnvVars, resolveEnvironmentOverrides } from './overrides/env-vars';
import { checkParameterOverrides } from './overrides/parameter-overrides';
import { LocalMessaging } from './messaging/local-messaging';
import type { LocalQueues } from './queues/local-queues';
import { prepareHandlerSdk } from './sdk/handler-sdk';
import { LocalRunnerOptions, ServedApi, servedApi } from './runner-options';

export type { LocalRunnerOptions, ServedApi } from './runner-options';

/**
 * Starts the local runner: loads the assembly, resolves the templates, refuses resources it cannot emulate
 * (unless allowed), then starts dynalite with the tables, the Lambda Invoke API, the functions (provisioned
 * concurrency pre-started), the API servers, the events endpoint and the schedules. If any step fails,
 * everything already started is stopped before the error is thrown.
 */
export async function startLocalRunner(options: LocalRunnerOptions): Promise<LocalRunner> {
  const port = options.port ?? 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalRunnerError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(options.port)}`);
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new LocalRunnerError(`--region must look like us-east-1, got ${JSON.stringify(region)}`);
  if (!/^\d{12}$/.test(account)) throw new LocalRunnerError(`--account must be 12 digits, got ${JSON.stringify(account)}`);
  const assembly = loadCloudAssembly(options.assembly);
  const stacks = selectStacks(assembly, options.stack);
  const scratch = mkdtempSync(join(tmpdir(), 'cdk-local-'));
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(scratch, { recursive: true, force: true })];
  const undo = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const log = options.log ?? ((line: string) => console.log(line));
    const parameterOverrides = options.parameterOverrides && Object.keys(options.parameterOverrides).length > 0 ? options.parameterOverrides : undefined;
    const parameterLines = parameterOverrides ? checkParameterOverrides(stacks, parameterOverrides) : [];
    const model = buildAppModel(assembly, stacks, { account, region, scratchDirectory: scratch, ...(parameterOverrides ? { parameterOverrides } : {}) });
    validateModel(model, options.allowUnsupported ?? false);
    const inspect = options.inspect ? inspectedFunctions(options.inspect, model) : undefined;
    const environment = options.environmentVariables ? resolveEnvironmentOverrides(checkEnvVars(options.environmentVariables, 'environmentVariables'), model.functions) : undefined;
    assembleOptDirectories(model.functions);
    // What the run changes from the templates, said before anything starts (one JSON record each with --log-format json).
    const said = options.logFormat === 'json' ? (line: string) => log(runnerRecord(line, Date.now())) : log;
    if (parameterLines.length > 0) said(`parameter overrides: ${parameterLines.join(', ')}`);
    if (environment) said(['environment overrides:', ...environment.lines.map((l) => `  ${l}`)].join('\n'));
    if (inspect) said(inspect.line);
    // What the library does not ship arrives now, once, into the runner's cache: see lib/local/dependencies.
    prepareRunnerDependencies(log);
    prepareHandlerSdk(model.functions, log);
    return await LocalRunner.start(model, options, port, cleanups, { ...(environment ? { environmentOverrides: environment.byFunction } : {}), ...(inspect ? { inspect: inspect.settings } : {}) });
  } catch (err) {
    await undo();
    throw err;
  }
}

/** A running local app. */
export class LocalRunner {
  /** The APIs served, HTTP APIs first, each on its own port. */
  readonly apis: readonly ServedApi[];
  /** The events endpoint: EventBridge PutEvents (AWS JSON protocol) and `POST /events`. */
  readonly eventsUrl: string;
  /** The local Lambda Invoke API the functions reach through AWS_ENDPOINT_URL_LAMBDA. */
  readonly invokeUrl: string;
  /** The DynamoDB endpoint the functions reach through AWS_ENDPOINT_URL_DYNAMODB (dynalite, behind the stream capture proxy when a table has a stream). */
  readonly dynamoEndpoint: string;
  /** The local dashboard's page, unless turned off. */
  readonly dashboardUrl?: string;
  /** The local SQS endpoint (AWS JSON protocol) the functions reach through AWS_ENDPOINT_URL_SQS. */
  readonly sqsEndpoint: string;
  /** Queues, topics, table streams and the event source mappings polling them. */
  readonly messaging: LocalMessaging;
  /** Authorizers, the local token issuer (`auth.mintToken`), IAM signatures and API keys: see lib/local/auth. */
  readonly auth: LocalAuth;

  private readonly statuses = new Map<string, Record<string, number>>();
  private readonly deliveryCounts: Record<string, number> = {};
  private readonly breakerChanges: string[] = [];
  private eventsPut = 0;
  private schedulesFired = 0;
  private warmerRuns = 0;
  private closing: Promise<RunSummary> | undefined;

  private constructor(
    /** What the runner read from the templates: functions, APIs, rules, schedules, tables, queues, and what it skipped. */
    readonly model: AppModel,
    /** The clock of schedules and retries (a VirtualClock in tests). */
    readonly clock: Clock,
    /** The functions and their environment pools. */
    readonly functions: LocalFunctions,
    /** The event buses (put events, deliveries). */
    readonly buses: LocalEventBuses,
    /** The app's SQS queues (visibility timeouts, redrive to dead-letter queues; where failure destinations land). */
    readonly queues: LocalQueues,
    /** The scheduled rules and Scheduler schedules. */
    readonly scheduler: LocalScheduler,
    /** The embedded DynamoDB (dynalite) with the template's tables, and a client for it. */
    readonly dynamo: LocalDynamo,
    private readonly breakers: BreakerWatch,
    servers: { apis: ApiServer[]; events: EventsServer; invoke: InvokeApi; messaging: LocalMessaging; auth: LocalAuth; dashboard?: DashboardServer },
    private readonly cleanups: Array<() => Promise<void> | void>,
  ) {
    this.apis = servers.apis.map((s) => servedApi(s.spec, s.url));
    this.eventsUrl = servers.events.url;
    this.invokeUrl = servers.invoke.url;
    this.dynamoEndpoint = dynamo.endpoint;
    if (servers.dashboard) this.dashboardUrl = servers.dashboard.url;
    this.messaging = servers.messaging;
    this.dynamoEndpoint = servers.messaging.dynamoEndpoint;
    this.sqsEndpoint = servers.messaging.sqs.url;
    this.auth = servers.auth;
  }

  /** @internal */
  static async start(model: AppModel, options: LocalRunnerOptions, port: number, cleanups: Array<() => Promise<void> | void>, extras: Pick<LocalFunctionsOptions, 'environmentOverrides' | 'inspect'> = {}): Promise<LocalRunner> {
    const host = options.host ?? '127.0.0.1';
    const print = options.log ?? ((line: string) => console.log(line));
    const logFormat = options.logFormat ?? 'text';
    const log = logFormat === 'json' ? (line: string) => print(runnerRecord(line, clock.now())) : print;
    const clock = options.clock ?? new RealClock();
    // HTTP APIs first: their $default stage serves at the root, so the first port answers `/hello`.
    const apis = [...model.apis.filter((a) => a.kind === 'http'), ...model.apis.filter((a) => a.kind === 'rest')];
    const portOf = (i: number) => (port === 0 ? 0 : port + i);

    const dynamo = await LocalDynamo.start(model.tables, model.region, options.dataDirectory);
    cleanups.push(() => dynamo.close());
    const messaging = await LocalMessaging.start(model, clock, dynamo.endpoint, cleanups);
    const queues = messaging.queues;
    let functions: LocalFunctions | undefined;
    let buses: LocalEventBuses | undefined;
    const invoke = await startInvokeApi({
      host: '127.0.0.1',
      resolve: (name, qualifier) => functions?.resolve(name, qualifier)?.pool,
      invokeAsync: (name, qualifier, event) => functions?.invokeAsync(name, event, 'lambda:Invoke Event', qualifier),
    });
    cleanups.push(() => invoke.close());
    const events = await EventsServer.start({ put: (entries: readonly PutEventsEntry[]) => buses!.put(entries) }, portOf(apis.length), host);
    cleanups.push(() => events.close());

    functions = new LocalFunctions(messaging.functionModel(model), {
      clock,
      idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
      logFormat,
      injectedEnvironment: {
        AWS_ENDPOINT_URL_DYNAMODB: messaging.dynamoEndpoint,
        ...messaging.environment,
        AWS_ENDPOINT_URL_LAMBDA: invoke.url,
        // The SDK names the variable after the client's service id ("EventBridge"), not the endpoint prefix.
        AWS_ENDPOINT_URL_EVENTBRIDGE: events.url,
        AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
        // The SDK warns about Node 20 in every environment; Lambda runs Node 24, so the warning is local noise.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Where the environments' SDK resolution (lib/local/sdk) finds what the runner installed for them.
        [runnerCache.CACHE_ENV]: runnerCache.cacheRoot(),
      },
      ...extras,
      sink: {
        deliver: (arn, body, attributes) => {
          if (messaging.deliver(arn, body, attributes)) return true;
          if (arn.startsWith('arn:aws:lambda:')) return functions!.invokeAsync(arn, JSON.parse(body), 'destination');
          return false;
        },
      },
    });
    const fns = functions;
    cleanups.push(() => fns.close());
    // Before start(): that is where a function learns its runtime's Node.js cannot be had, and where provisioned
    // environments log their INIT.
    functions.on('notice', (message) => log(message));
    if (options.functionOutput ?? true) {
      functions.on('log', (l) => {
        if (logFormat === 'json') print(functionRecord(l.function.displayName, l.text));
        // Lambda keeps a multi-line message in one event (newlines sent as carriage returns); shown here as lines.
        else log(`  [${shortEnvironmentId(l.function.displayName, l.environmentId)}] ${l.text.replace(/\r/g, '\n      ')}`);
      });
    }
    messaging.connect(model, functions, clock, log);
    cleanups.push(() => messaging.close());
    buses = new LocalEventBuses(model, functions, queues, clock, messaging.topics);
    const busesRef = buses;
    cleanups.push(() => busesRef.close());
    const scheduler = new LocalScheduler(model, buses, clock);
    cleanups.push(() => scheduler.close());
    const breakers = new BreakerWatch(dynamo.client);
    cleanups.push(() => breakers.close());

    try {
      await functions.start();
    } catch (err) {
      throw new LocalRunnerError(`Provisioned concurrency could not start:\n${(err as Error).message}`);
    }
    const auth = await LocalAuth.start(model, { functions, credentials: DUMMY_CREDENTIALS, now: () => clock.now(), ...(options.dataDirectory ? { dataDirectory: options.dataDirectory } : {}) });
    cleanups.push(() => auth.close());
    const servers: ApiServer[] = [];
    let runner: LocalRunner | undefined;
    for (const [i, spec] of apis.entries()) {
      const server = await ApiServer.start(spec, {
        functions, account: model.account, region: model.region, port: portOf(i), host, auth: auth.services,
        onRequest: (r) => {
          runner?.countStatus(r.api.displayName, r.status);
          // Answers API Gateway gives on its own (no route, stage throttle) have no invocation line; nor do
          // routes to a function the runner skipped.
          const unserved = r.routeKey && !r.throttledByStage && !r.refusedByGuard ? runner?.unservedTarget(r.api, r.routeKey) : undefined;
          if (!r.routeKey || r.throttledByStage || r.refusedByGuard || unserved) {
            const why = r.throttledByStage ? `stage throttle of ${r.api.displayName}` : r.refusedByGuard ? `refused by ${r.api.displayName} before the integration (authorization, API key or usage plan)` : unserved ? `route ${r.routeKey} of ${r.api.displayName} invokes ${unserved}` : `no route in ${r.api.displayName}`;
            log(`${new Date(clock.now()).toISOString().slice(11, 23)} ${r.method} ${r.path} -> ${r.status} ${why}`);
          }
        },
      });
      servers.push(server);
      cleanups.push(() => server.close());
    }

    let dashboard: DashboardServer | undefined;
    if (options.dashboard ?? true) {
      const feed = new DashboardFeed({ model, clock, functions, breakers, queues, scheduler });
      cleanups.push(() => feed.close());
      dashboard = await DashboardServer.start(feed, portOf(apis.length + 1), host);
      const server = dashboard;
      cleanups.push(() => server.close());
    }

    runner = new LocalRunner(model, clock, functions, buses, queues, scheduler, dynamo, breakers, { apis: servers, events, invoke, messaging, auth, dashboard }, cleanups);
    runner.wire(log);
    scheduler.start();
    messaging.start();
    return runner;
  }

  private wire(log: (line: string) => void): void {
    const now = () => this.clock.now();
    this.functions.on('invocation', (r) => {
      log(format.invocation(r, now()));
      this.breakers.touched(r.function);
      this.reportWarmer(r, log, now());
    });
    this.functions.on('async-outcome', (o) => log(format.asyncOutcome(o, now())));
    this.breakers.on('change', (c) => {
      this.breakerChanges.push(`${c.circuit} ${c.from}->${c.to}`);
      log(format.breaker(c, now()));
    });
    this.buses.on('event-put', (event, rules) => {
      this.eventsPut++;
      log(`${new Date(now()).toISOString().slice(11, 23)} event ${String(event.source)} "${String(event['detail-type'])}" matched ${rules.length} rule(s)${rules.length ? ': ' + rules.map((r) => r.displayName).join(', ') : ''}`);
    });
    this.buses.on('delivery', (d) => {
      this.deliveryCounts[d.outcome] = (this.deliveryCounts[d.outcome] ?? 0) + 1;
      if (d.outcome !== 'delivered') log(format.delivery(d, now()));
    });
    this.scheduler.on('fired', (f) => {
      this.schedulesFired++;
      log(format.fired(f, now()));
    });
  }

  private reportWarmer(r: InvocationRecord, log: (line: string) => void, at: number): void {
    const summary = r.result.payload as { targets?: Array<{ target?: string; functionArn?: string; requested: number; distinct: number; cold: number; rounds: number; failed: number; throttled: number }> } | undefined;
    if (!summary || !Array.isArray(summary.targets) || summary.targets.some((t) => typeof t?.distinct !== 'number')) return;
    this.warmerRuns++;
    for (const t of summary.targets) {
      const fn = this.functions.resolve(t.functionArn ?? t.target ?? '');
      const name = fn ? `${fn.spec.displayName}${fn.qualifier ? `:${fn.qualifier}` : ''}` : String(t.target ?? t.functionArn);
      log(format.warmer(name, t, at));
    }
  }

  private countStatus(api: string, status: number): void {
    const counts = this.statuses.get(api) ?? {};
    counts[status] = (counts[status] ?? 0) + 1;
    this.statuses.set(api, counts);
  }

  /** Puts events on the app's buses, as EventBridge's PutEvents does. */
  putEvents(entries: readonly PutEventsEntry[]): ReturnType<LocalEventBuses['put']> {
    return this.buses.put(entries);
  }

  /** Invokes a function (by name, ARN, logical id or display name, with an optional qualifier) synchronously. */
  async invoke(functionName: string, event: unknown, qualifier?: string): Promise<InvocationResult> {
    const fn = this.functions.resolve(functionName, qualifier);
    const unqualified = fn ? undefined : this.functions.resolve(functionName.split(':')[0]);
    if (unqualified) {
      const known = ['$LATEST', ...Object.keys(unqualified.spec.qualifiers)].join(', ');
      throw new LocalRunnerError(`Function ${unqualified.spec.displayName} has no alias or version ${JSON.stringify(qualifier ?? functionName.split(':')[1])}; it has ${known}`);
    }
    if (!fn) throw new LocalRunnerError(`No function ${JSON.stringify(functionName)} in the app; it has ${this.functions.all.map((f) => f.spec.displayName).join(', ')}`);
    const result = await this.functions.invoke(fn, event);
    this.functions.report({ trigger: 'invoke', function: fn.spec, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), result });
    return result;
  }

  /** Resolves once all invocations started so far (and the breaker reads they cause) are done. */
  async settled(): Promise<void> {
    // Invocations send messages that start batches that invoke functions: wait until both sides are quiet.
    do {
      await this.messaging.settled();
      await this.functions.settled();
    } while (this.messaging.busy);
    await this.breakers.settled();
  }

  /**
   * URLs worth trying: one per GET route without parameters whose function runs here, then one event per rule
   * with a pattern, built from the pattern (`observe/event-suggestion.ts`), each followed by what it cannot know.
   */
  urlsToTry(): string[] {
    const urls: string[] = [];
    for (const api of this.apis) {
      const spec = this.model.apis.find((a) => a.logicalId === api.logicalId);
      for (const route of api.routes) {
        const [method, path] = route.split(' ');
        if ((method === 'GET' || method === 'ANY') && path && !path.includes('{') && !(spec && this.unservedTarget(spec, route))) {
          const flags = spec ? this.auth.curlFlags(spec, route) : '';
          for (const base of Object.values(api.stageUrls)) urls.push(`curl ${flags}${base}${path === '/' ? '/' : path}`);
        }
      }
    }
    for (const rule of this.model.rules.filter((r) => r.pattern)) {
      const targets = rule.targets.map((t) => this.functions.resolve(t.arn)?.spec.displayName ?? t.arn.split(':').pop()!);
      urls.push(...eventToTry(rule, this.eventsUrl, targets, this.model));
    }
    if (urls.every((u) => !u.includes('/events'))) urls.push(`curl -X POST ${this.eventsUrl}/events -d '{"source":"...","detail-type":"...","detail":{}}'`);
    return urls;
  }

  /** What a route of `api` invokes when the runner does not run it (see `observe/unserved-route.ts`). */
  unservedTarget(api: ApiSpec, routeKey: string): string | undefined {
    return unservedTarget(api, routeKey, (arn) => this.functions.resolve(arn) !== undefined, this.model.unsupported);
  }

  summary(): RunSummary {
    return {
      functions: this.functions.all.map((f) => ({ name: f.spec.displayName, ...this.functions.statsOf(f.spec.functionName) })),
      apis: this.apis.map((a) => ({ name: a.displayName, statuses: this.statuses.get(a.displayName) ?? {} })),
      eventsPut: this.eventsPut,
      deliveries: { ...this.deliveryCounts },
      schedulesFired: this.schedulesFired,
      breakerChanges: [...this.breakerChanges],
      warmerRuns: this.warmerRuns,
      queues: this.queues.counts(),
    };
  }

  /** Formatted summary text. */
  summaryText(): string {
    return formatSummary(this.summary());
  }

  /** Stops everything; returns the summary of the run. Idempotent. */
  close(): Promise<RunSummary> {
    this.closing ??= (async () => {
      const summary = this.summary();
      for (const c of [...this.cleanups].reverse()) await Promise.resolve(c()).catch(() => undefined);
      return summary;
    })();
    return this.closing;
  }
}
