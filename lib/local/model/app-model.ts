import type { AssemblyStack, CloudAssembly } from '../assembly/cloud-assembly';
import { TemplateResolver } from '../intrinsics/template-resolver';
import { readApis } from './api-specs';
import { readEventSourceMappings, readTopics } from './event-source-specs';
import { readEvents } from './event-specs';
import { FunctionModel, readFunctions } from './function-specs';
import { LayerSpec, readLayers } from '../layers/layer-specs';
import { supportOf } from './resource-support';
import type { ApiSpec, AppModel, EventSourceMappingSpec, RuleSpec, ScheduleSpec, SkippedResource, QueueSpec, TableSpec, TopicSpec } from './specs';
import { readQueues, readTables } from './table-specs';

export interface AppModelOptions {
  readonly account: string;
  readonly region: string;
  /** Where inline function code is written. */
  readonly scratchDirectory: string;
  /** Parameter values that win over the templates' defaults (`--parameter-overrides`). @default - none */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
}

/** Resolves the templates of the selected stacks and reads what the runner emulates. */
export function buildAppModel(assembly: CloudAssembly, stacks: readonly AssemblyStack[], options: AppModelOptions): AppModel {
  const target = { account: options.account, region: options.region };
  const resolvers = new Map<string, TemplateResolver>();
  // Fn::ImportValue: the Outputs of any stack of the assembly that exports the name.
  const lookup = (name: string): unknown => {
    for (const stack of assembly.stacks) {
      for (const [outputId, output] of Object.entries(stack.template.Outputs ?? {})) {
        const exported = (output as { Export?: { Name?: unknown } }).Export;
        if (exported === undefined) continue;
        const resolver = resolverOf(stack);
        if (resolver.resolve(exported.Name, `Outputs.${outputId}.Export.Name`) === name) return resolver.resolve(output.Value, `Outputs.${outputId}.Value`);
      }
    }
    return undefined;
  };
  const resolverOf = (stack: AssemblyStack): TemplateResolver => {
    let resolver = resolvers.get(stack.id);
    if (!resolver) {
      resolver = new TemplateResolver(stack, { ...target, ...(options.parameterOverrides ? { parameterOverrides: options.parameterOverrides } : {}) }, lookup);
      resolvers.set(stack.id, resolver);
    }
    return resolver;
  };

  const fnModel: FunctionModel = { functions: [], functionTargets: new Map(), asyncConfigs: new Map(), unsupported: [] };
  const inert: SkippedResource[] = [];
  const notes: string[] = [];
  const apis: ApiSpec[] = [];
  const buses = new Set<string>(['default']);
  const rules: RuleSpec[] = [];
  const schedules: ScheduleSpec[] = [];
  const tables: TableSpec[] = [];
  const queues: QueueSpec[] = [];
  const topics: TopicSpec[] = [];
  const eventSourceMappings: EventSourceMappingSpec[] = [];

  // Layers first, from every stack of the assembly: a function may name another stack's layer (Fn::ImportValue).
  const layers = new Map<string, LayerSpec>();
  for (const stack of assembly.stacks) {
    const resolver = resolverOf(stack);
    try {
      for (const layer of readLayers(resolver, resolver.activeResources(), assembly.directory, stack.assetsByObjectKey)) layers.set(layer.arn, layer);
    } catch (err) {
      // A stack that is not run may not resolve locally (a parameter without default): only its layers were wanted.
      if (stacks.includes(stack)) throw err;
    }
  }

  for (const stack of stacks) {
    const resolver = resolverOf(stack);
    const resources = resolver.activeResources();
    for (const [logicalId, resource] of resources) {
      const support = supportOf(resource.Type);
      if (support.kind === 'inert') inert.push({ stackName: stack.stackName, logicalId, type: resource.Type, reason: support.reason });
      if (support.kind === 'unsupported') {
        fnModel.unsupported.push({ stackName: stack.stackName, logicalId, type: resource.Type, reason: 'the local runner does not emulate this resource type' });
      }
    }
    readFunctions({ resolver, resources, assemblyDirectory: assembly.directory, assetsByObjectKey: stack.assetsByObjectKey, scratchDirectory: options.scratchDirectory, layers, ...target }, fnModel);
    apis.push(...readApis(resolver, resources, notes, fnModel.unsupported));
    const events = readEvents(resolver, resources);
    events.buses.forEach((b) => buses.add(b));
    rules.push(...events.rules);
    schedules.push(...events.schedules);
    tables.push(...readTables(resolver, resources));
    queues.push(...readQueues(resolver, resources));
    topics.push(...readTopics(resolver, resources));
    eventSourceMappings.push(...readEventSourceMappings(resolver, resources));
  }

  return {
    ...target,
    functions: fnModel.functions,
    functionTargets: fnModel.functionTargets,
    asyncConfigs: fnModel.asyncConfigs,
    queues,
    topics,
    eventSourceMappings,
    tables,
    apis,
    buses: [...buses],
    rules,
    schedules,
    unsupported: fnModel.unsupported,
    inert,
    notes,
  };
}
