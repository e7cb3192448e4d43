import type { Clock } from '../clock/clock';
import type { LocalScheduler } from '../events/local-scheduler';
import type { PoolStats } from '../execution';
import type { LocalFunctions } from '../functions/local-functions';
import type { AppModel } from '../model/specs';
import type { BreakerWatch } from '../observe/breaker-watch';
import { shortEnvironmentId } from '../observe/short-id';
import type { LocalQueues } from '../queues/local-queues';
import { clip } from './invocation-log';

/** What the dashboard reads the runner's state from. */
export interface DashboardSources {
  readonly model: AppModel;
  readonly clock: Clock;
  readonly functions: LocalFunctions;
  readonly breakers: BreakerWatch;
  readonly queues: LocalQueues;
  readonly scheduler: LocalScheduler;
}

/** A function, its environments now and its counters since the start. */
export interface FunctionView {
  readonly name: string;
  readonly runtime: string;
  readonly memoryMb: number;
  readonly timeoutMs: number;
  readonly reservedConcurrency?: number;
  /** Provisioned concurrency the template asks for, over all aliases and versions. */
  readonly provisionedConcurrency: number;
  readonly circuits: readonly string[];
  readonly counts: PoolStats;
  readonly environments: ReadonlyArray<{ readonly id: string; readonly provisioned: boolean; readonly state: 'initializing' | 'idle' | 'busy'; readonly invocations: number }>;
}

/** A circuit of a breaker table, as its DynamoDB item was at the last read. */
export interface BreakerView {
  readonly circuit: string;
  readonly tableName: string;
  /** `CLOSED`, `OPEN`, `HALF_OPEN`, or `UNREAD` before the runner read the item. */
  readonly state: string;
  readonly version: number;
  readonly openUntil?: number;
  /** The functions that declare the circuit. */
  readonly functions: readonly string[];
}

/** A queue with the messages it received (dead letters, failure destinations). */
export interface QueueView {
  readonly name: string;
  readonly arn: string;
  /** What sends to it: `dead-letter queue of ProcessOrder`, `on-failure destination of ProcessOrder`, ... */
  readonly roles: readonly string[];
  readonly count: number;
  /** The newest messages, newest first. */
  readonly recent: ReadonlyArray<{ readonly messageId: string; readonly sentAt: number; readonly body: string; readonly attributes: Readonly<Record<string, string>> }>;
}

export interface ScheduleView {
  /** `rule <name>` or `schedule <name>`. */
  readonly source: string;
  readonly expression: string;
  readonly timezone?: string;
  /** Next firing on the runner's clock (epoch ms); absent when it will not fire again. */
  readonly next?: number;
}

/** Everything the page shows except the invocation list: sent whole on every change (it is small). */
export interface DashboardState {
  /** The runner's clock (a virtual one in tests), so the page can say "in 3 min". */
  readonly now: number;
  readonly account: string;
  readonly region: string;
  readonly functions: readonly FunctionView[];
  readonly breakers: readonly BreakerView[];
  readonly queues: readonly QueueView[];
  readonly schedules: readonly ScheduleView[];
}

/** Messages of a queue shown on the page; the count covers all of them. */
const RECENT_MESSAGES = 20;

export function dashboardState(s: DashboardSources): DashboardState {
  const { model } = s;
  return {
    now: s.clock.now(),
    account: model.account,
    region: model.region,
    functions: model.functions.map((f) => ({
      name: f.displayName,
      runtime: f.runtime,
      memoryMb: f.memoryMb,
      timeoutMs: f.timeoutMs,
      ...(f.reservedConcurrency !== undefined ? { reservedConcurrency: f.reservedConcurrency } : {}),
      provisionedConcurrency: f.provisionedConcurrency,
      circuits: f.breaker?.circuits ?? [],
      counts: s.functions.statsOf(f.functionName),
      environments: s.functions.environmentsOf(f.functionName).map((e) => ({
        id: shortEnvironmentId(f.displayName, e.environmentId),
        provisioned: e.initializationType === 'provisioned-concurrency',
        state: e.state,
        invocations: e.invocations,
      })),
    })),
    breakers: breakerViews(s),
    queues: model.queues.map((q) => {
      const messages = s.queues.list(q.arn);
      return {
        name: q.displayName,
        arn: q.arn,
        roles: queueRoles(model, q.arn),
        count: messages.length,
        recent: messages.slice(-RECENT_MESSAGES).reverse().map((m) => ({ messageId: m.messageId, sentAt: m.sentAt, body: clip(m.body, 4096), attributes: m.attributes })),
      };
    }),
    schedules: s.scheduler.upcoming(),
  };
}

/** Every circuit some function declares, with its item as last read. */
function breakerViews(s: DashboardSources): BreakerView[] {
  const readings = new Map(s.breakers.readings().map((r) => [`${r.tableName}/${r.circuit}`, r]));
  const views = new Map<string, BreakerView & { functions: string[] }>();
  for (const f of s.model.functions) {
    for (const circuit of f.breaker?.circuits ?? []) {
      const key = `${f.breaker!.tableName}/${circuit}`;
      const read = readings.get(key);
      const view = views.get(key) ?? {
        circuit, tableName: f.breaker!.tableName, state: read?.state ?? 'UNREAD', version: read?.version ?? 0,
        ...(read?.openUntil !== undefined && read.state !== 'CLOSED' ? { openUntil: read.openUntil } : {}), functions: [],
      };
      view.functions.push(f.displayName);
      views.set(key, view);
    }
  }
  return [...views.values()];
}

/** Who sends to a queue, from the template: dead-letter queues and async destinations. */
function queueRoles(model: AppModel, arn: string): string[] {
  const roles: string[] = [];
  for (const f of model.functions) if (f.deadLetterArn === arn) roles.push(`dead-letter queue of ${f.displayName}`);
  for (const [key, config] of model.asyncConfigs) {
    const fn = model.functions.find((f) => f.functionName === key.split(':')[0])?.displayName ?? key;
    if (config.onFailureArn === arn) roles.push(`on-failure destination of ${fn}`);
    if (config.onSuccessArn === arn) roles.push(`on-success destination of ${fn}`);
  }
  for (const r of model.rules) for (const t of r.targets) if (t.deadLetterArn === arn) roles.push(`dead-letter queue of rule ${r.displayName}`);
  for (const sc of model.schedules) if (sc.target.deadLetterArn === arn) roles.push(`dead-letter queue of schedule ${sc.displayName}`);
  return [...new Set(roles)];
}
