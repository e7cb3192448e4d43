import { AssemblyStack, loadCloudAssembly, selectStacks } from '../local/assembly/cloud-assembly';
import { TemplateResolver } from '../local/intrinsics/template-resolver';
import { displayName } from '../local/model/display-name';
import type { Architecture } from './prices';

/** A schedule as synthesized: its expression (rate/cron/at) and time zone. */
export interface ScheduleSpec {
  readonly expression: string;
  readonly timezone?: string;
}

/** One warming schedule of the Warmer construct: a rule whose input names this function's alias. */
export interface WarmingSchedule extends ScheduleSpec {
  readonly name: string;
  readonly concurrency: number;
}

/** A scheduled action of an Application Auto Scaling target: new bounds from when it fires. */
export interface ScheduledCapacity extends ScheduleSpec {
  readonly name: string;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
}

/** Provisioned concurrency on the function's aliases and versions, as synthesized. */
export interface ProvisionedSpec {
  /** fixed: the alias's allocation only; scheduled: scheduled actions; autoscaled: target tracking (maybe with scheduled actions). */
  readonly mode: 'fixed' | 'scheduled' | 'autoscaled';
  /** The alias's allocation (ProvisionedConcurrencyConfig), and the target's bounds when there is one. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Target utilisation of target tracking. */
  readonly utilizationTarget?: number;
  readonly schedules: readonly ScheduledCapacity[];
}

/** What the cost advisor knows of one Lambda function of the assembly. */
export interface CostedFunction {
  readonly stackName: string;
  readonly logicalId: string;
  /** Construct path without the stack (`Hello`), as the local runner shows it. */
  readonly path: string;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly runtime: string;
  readonly packageType: 'Zip' | 'Image';
  readonly provisioned?: ProvisionedSpec;
  readonly warming: readonly WarmingSchedule[];
  /** Schedules (EventBridge rules with a schedule, Scheduler schedules) that invoke the function. */
  readonly scheduledBy: readonly ScheduleSpec[];
  /** True when schedules are the only invokers the template shows (no API, URL, event pattern, queue, permission). */
  readonly onlyScheduled: boolean;
  /**
   * True when every invoker the template shows is asynchronous (schedules, event rules, queues and streams,
   * notifications): nobody waits on the response, so nobody waits on a cold start.
   */
  readonly onlyAsynchronous: boolean;
}

/** Services that invoke a function and wait for its response (a cold start is their latency). */
const SYNCHRONOUS_PRINCIPALS = ['apigateway.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'cognito-idp.amazonaws.com', 'lex.amazonaws.com', 'alexa-appkit.amazon.com', 'vpc-lattice.amazonaws.com'];

/** Reads every Lambda function of the assembly's stacks (or of one stack), with no runner, no dynalite. */
export function readCostedFunctions(directory: string, stack: string | undefined, region: string): CostedFunction[] {
  const assembly = loadCloudAssembly(directory);
  return selectStacks(assembly, stack).flatMap((s) => readStack(s, region));
}

function readStack(stack: AssemblyStack, region: string): CostedFunction[] {
  const resolver = new TemplateResolver(stack, { account: '123456789012', region });
  const resources = resolver.activeResources();
  const nameOf = new Map<string, string>(); // function logical id → physical name
  for (const [id, r] of resources) if (r.Type === 'AWS::Lambda::Function') nameOf.set(id, resolver.attributes(id, `Resources.${id}`).ref);
  // `arn:aws:lambda:region:account:function:NAME[:QUALIFIER]`, `NAME` or `function:NAME:QUALIFIER` → NAME.
  const functionNameIn = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    const parts = value.split(':');
    if (parts[0] === 'arn') return parts[5] === 'function' ? parts[6] : undefined;
    if (parts[0] === 'function') return parts[1];
    return value;
  };

  const allocated = new Map<string, number>(); // function name → provisioned concurrency of its aliases and versions
  const scalable = new Map<string, { min: number; max: number; target?: number; schedules: ScheduledCapacity[] }>();
  const warming = new Map<string, WarmingSchedule[]>();
  const scheduledBy = new Map<string, ScheduleSpec[]>();
  const synchronous = new Set<string>(); // invoked by a caller that waits: APIs, load balancers, function URLs, ...
  const asynchronous = new Set<string>(); // invoked by event rules, queues, notifications (schedules are kept apart)
  const push = <T>(map: Map<string, T[]>, key: string | undefined, value: T) => key !== undefined && map.set(key, [...(map.get(key) ?? []), value]);
  const policies = new Map<string, number>(); // scalable target logical id → target tracking value

  for (const [id, r] of resources) {
    if (r.Type !== 'AWS::ApplicationAutoScaling::ScalingPolicy') continue;
    const p = resolver.properties(id);
    const target = (p.TargetTrackingScalingPolicyConfiguration as { TargetValue?: unknown } | undefined)?.TargetValue;
    const ref = (r.Properties?.ScalingTargetId as { Ref?: string } | undefined)?.Ref;
    if (ref !== undefined && typeof target === 'number') policies.set(ref, target);
  }

  for (const [id, r] of resources) {
    const p = () => resolver.properties(id);
    switch (r.Type) {
      case 'AWS::Lambda::Alias':
      case 'AWS::Lambda::Version': {
        const props = p();
        const pc = Number((props.ProvisionedConcurrencyConfig as { ProvisionedConcurrentExecutions?: unknown } | undefined)?.ProvisionedConcurrentExecutions ?? 0);
        const name = functionNameIn(props.FunctionName);
        if (pc > 0 && name !== undefined) allocated.set(name, (allocated.get(name) ?? 0) + pc);
        break;
      }
      case 'AWS::ApplicationAutoScaling::ScalableTarget': {
        const props = p();
        if (props.ScalableDimension !== 'lambda:function:ProvisionedConcurrency') break;
        const name = functionNameIn(props.ResourceId);
        if (name === undefined) break;
        const actions = (props.ScheduledActions as Array<Record<string, unknown>> | undefined) ?? [];
        const schedules = actions.map((a) => {
          const bounds = (a.ScalableTargetAction ?? {}) as { MinCapacity?: unknown; MaxCapacity?: unknown };
          return {
            name: String(a.ScheduledActionName),
            expression: String(a.Schedule),
            ...(typeof a.Timezone === 'string' ? { timezone: a.Timezone } : {}),
            ...(bounds.MinCapacity !== undefined ? { minCapacity: Number(bounds.MinCapacity) } : {}),
            ...(bounds.MaxCapacity !== undefined ? { maxCapacity: Number(bounds.MaxCapacity) } : {}),
          };
        });
        scalable.set(name, { min: Number(props.MinCapacity), max: Number(props.MaxCapacity), target: policies.get(id), schedules });
        break;
      }
      case 'AWS::Events::Rule': {
        const props = p();
        const targets = (props.Targets as Array<{ Arn?: unknown; Input?: unknown }> | undefined) ?? [];
        for (const t of targets) {
          const warmed = warmingInput(t.Input);
          if (typeof props.ScheduleExpression === 'string') {
            for (const w of warmed) push(warming, functionNameIn(w.functionArn), { name: ruleName(r.Metadata, id), expression: props.ScheduleExpression, concurrency: w.concurrency });
            push(scheduledBy, functionNameIn(t.Arn), { expression: props.ScheduleExpression });
          } else {
            const name = functionNameIn(t.Arn);
            if (name !== undefined) asynchronous.add(name);
          }
        }
        break;
      }
      case 'AWS::Scheduler::Schedule': {
        const props = p();
        const target = props.Target as { Arn?: unknown } | undefined;
        const tz = props.ScheduleExpressionTimezone;
        push(scheduledBy, functionNameIn(target?.Arn), { expression: String(props.ScheduleExpression), ...(typeof tz === 'string' ? { timezone: tz } : {}) });
        break;
      }
      case 'AWS::Lambda::Permission': {
        // EventBridge permissions come with rules (read above); other principals invoke synchronously or not.
        const props = p();
        const name = functionNameIn(props.FunctionName);
        if (name === undefined || props.Principal === 'events.amazonaws.com') break;
        (SYNCHRONOUS_PRINCIPALS.includes(String(props.Principal)) ? synchronous : asynchronous).add(name);
        break;
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const name = functionNameIn(p().FunctionName);
        if (name !== undefined) asynchronous.add(name);
        break;
      }
      case 'AWS::Lambda::Url': {
        const name = functionNameIn(p().TargetFunctionArn);
        if (name !== undefined) synchronous.add(name);
        break;
      }
    }
  }

  const out: CostedFunction[] = [];
  for (const [id, name] of nameOf) {
    const resource = resources.find(([rid]) => rid === id)![1];
    const props = resolver.properties(id);
    const architectures = props.Architectures as unknown[] | undefined;
    // An Application Auto Scaling target owns the allocation once deployed; without one, the alias's figure stays.
    const fixed = allocated.get(name);
    const pc = scalable.get(name) ?? (fixed !== undefined ? { min: fixed, max: fixed, schedules: [] } : undefined);
    const schedules = scheduledBy.get(name) ?? [];
    out.push({
      stackName: stack.stackName,
      logicalId: id,
      path: displayName(stack.stackName, id, resource),
      memoryMb: Number(props.MemorySize ?? 128),
      architecture: architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
      runtime: String(props.Runtime ?? (props.PackageType === 'Image' ? 'container image' : 'unknown')),
      packageType: props.PackageType === 'Image' ? 'Image' : 'Zip',
      ...(pc ? { provisioned: provisionedSpec(pc) } : {}),
      warming: warming.get(name) ?? [],
      scheduledBy: schedules,
      onlyScheduled: schedules.length > 0 && !synchronous.has(name) && !asynchronous.has(name),
      // A function nothing in the template invokes may be called through the SDK (IAM grants leave no trace): assume a caller waits.
      onlyAsynchronous: !synchronous.has(name) && (asynchronous.has(name) || schedules.length > 0),
    });
  }
  return out;
}

function provisionedSpec(pc: { min: number; max: number; target?: number; schedules: ScheduledCapacity[] }): ProvisionedSpec {
  const mode = pc.target !== undefined ? 'autoscaled' : pc.schedules.length > 0 ? 'scheduled' : 'fixed';
  return { mode, minCapacity: pc.min, maxCapacity: Math.max(pc.max, pc.min), ...(pc.target !== undefined ? { utilizationTarget: pc.target } : {}), schedules: pc.schedules };
}

/** The Warmer's rule input: `{ "targets": [{ "functionArn", "concurrency" }] }`; anything else warms nothing. */
function warmingInput(input: unknown): Array<{ functionArn: string; concurrency: number }> {
  if (typeof input !== 'string') return [];
  try {
    const parsed = JSON.parse(input) as { targets?: Array<{ functionArn?: unknown; concurrency?: unknown }> };
    return (parsed.targets ?? []).filter((t) => typeof t.functionArn === 'string' && typeof t.concurrency === 'number')
      .map((t) => ({ functionArn: t.functionArn as string, concurrency: t.concurrency as number }));
  } catch {
    return [];
  }
}

/** The rule's construct id (`Warming-BusinessHours` → `BusinessHours`), else its logical id. */
function ruleName(metadata: Record<string, unknown> | undefined, logicalId: string): string {
  const path = metadata?.['aws:cdk:path'];
  const id = typeof path === 'string' ? path.split('/').filter((p) => p !== 'Resource').pop() : undefined;
  return id?.replace(/^Warming-/, '') ?? logicalId;
}
