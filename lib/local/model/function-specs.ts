import { mkdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, isAbsolute } from 'node:path';
import { resolveHandler } from '../execution';
import type { TemplateResolver } from '../intrinsics/template-resolver';
import { BREAKER_CIRCUITS_ENV, BREAKER_TABLE_ENV } from '../../contract';
import { displayName } from './display-name';
import type { AsyncInvokeConfig, FunctionSpec, FunctionTarget, QualifierSpec, SkippedResource } from './specs';
import type { CfnResource } from '../assembly/cloud-assembly';
import { functionLayers, LayerSpec } from '../layers/layer-specs';
import { optDirectoryOf } from '../layers/opt-directory';

/** Everything about functions that the rest of the model needs. */
export interface FunctionModel {
  readonly functions: FunctionSpec[];
  readonly functionTargets: Map<string, FunctionTarget>;
  readonly asyncConfigs: Map<string, AsyncInvokeConfig>;
  readonly unsupported: SkippedResource[];
}

export interface FunctionModelInput {
  readonly resolver: TemplateResolver;
  readonly resources: Array<[string, CfnResource]>;
  readonly assemblyDirectory: string;
  readonly assetsByObjectKey: ReadonlyMap<string, string>;
  /** Where inline (ZipFile) code is written so a worker can load it. */
  readonly scratchDirectory: string;
  readonly region: string;
  readonly account: string;
  /** The layers of every stack of the assembly, by ARN (a function may use another stack's layer). */
  readonly layers: ReadonlyMap<string, LayerSpec>;
}

/** Reads the functions, their aliases and versions, and their asynchronous-invocation settings. */
export function readFunctions(input: FunctionModelInput, into: FunctionModel): void {
  const { resolver, resources } = input;
  const provisioned = new Map<string, number>();
  const qualifiers = new Map<string, Record<string, QualifierSpec>>();
  const functionNames = new Map<string, string>();
  const stackName = resolver.stackName;

  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const ref = resolver.attributes(logicalId, `Resources.${logicalId}`).ref;
    functionNames.set(logicalId, ref);
  }
  // Provisioned concurrency lives on aliases and versions; the function's environments serve them all.
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Alias' && resource.Type !== 'AWS::Lambda::Version') continue;
    const props = resolver.properties(logicalId);
    const fnName = String(props.FunctionName).split(':').length > 1 ? String(props.FunctionName).split(':')[6] : String(props.FunctionName);
    const arn = resolver.attributes(logicalId, `Resources.${logicalId}`).ref;
    const qualifier = arn.split(':')[7];
    into.functionTargets.set(arn, { functionName: fnName, qualifier });
    const pc = Number((props.ProvisionedConcurrencyConfig as { ProvisionedConcurrentExecutions?: unknown } | undefined)?.ProvisionedConcurrentExecutions ?? 0);
    provisioned.set(fnName, (provisioned.get(fnName) ?? 0) + pc);
    // An alias runs the version it names; a version runs itself.
    const version = resource.Type === 'AWS::Lambda::Alias' ? String(props.FunctionVersion) : qualifier;
    qualifiers.set(fnName, { ...qualifiers.get(fnName), [qualifier]: { version, provisionedConcurrency: pc } });
  }

  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const where = `${stackName}/${logicalId}`;
    const skip = (reason: string, skippedFunction?: boolean) => into.unsupported.push({ stackName, logicalId, type: resource.Type, reason, skippedFunction });
    const props = resolver.properties(logicalId);
    const functionName = functionNames.get(logicalId)!;
    const runtime = String(props.Runtime ?? '');
    if (props.PackageType === 'Image') {
      skip('container image functions need Docker', true);
      continue;
    }
    if (!runtime.startsWith('nodejs')) {
      skip(`runtime ${runtime || '(none)'} is not a Node.js runtime`, true);
      continue;
    }
    const codeDirectory = codeDirectoryOf(input, logicalId, resource, props);
    if (typeof codeDirectory !== 'string') {
      skip(codeDirectory.problem);
      continue;
    }
    const layers = functionLayers(props.Layers, input.layers);
    if ('problem' in layers) {
      skip(`function ${displayName(stackName, logicalId, resource)} (${functionName}): ${layers.problem}`);
      continue;
    }
    let handler;
    try {
      handler = resolveHandler(codeDirectory, String(props.Handler ?? ''));
    } catch (err) {
      skip(`${(err as Error).message} (${where})`);
      continue;
    }
    const environment: Record<string, string> = {};
    const variables = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    for (const [key, value] of Object.entries(variables)) environment[key] = typeof value === 'string' ? value : JSON.stringify(value);
    const reserved = props.ReservedConcurrentExecutions;
    const circuits = environment[BREAKER_CIRCUITS_ENV];
    const table = environment[BREAKER_TABLE_ENV];
    into.functions.push({
      logicalId,
      stackName,
      displayName: displayName(stackName, logicalId, resource),
      functionName,
      arn: `arn:aws:lambda:${input.region}:${input.account}:function:${functionName}`,
      handlerPath: handler.handlerPath,
      handlerName: handler.handlerName,
      handler: String(props.Handler),
      codeDirectory,
      runtime,
      ...loggingConfig(props.LoggingConfig),
      environment,
      timeoutMs: Number(props.Timeout ?? 3) * 1000,
      memoryMb: Number(props.MemorySize ?? 128),
      ...(reserved !== undefined ? { reservedConcurrency: Number(reserved) } : {}),
      provisionedConcurrency: provisioned.get(functionName) ?? 0,
      qualifiers: qualifiers.get(functionName) ?? {},
      ...(props.DeadLetterConfig ? { deadLetterArn: String((props.DeadLetterConfig as { TargetArn?: unknown }).TargetArn) } : {}),
      ...(circuits && table ? { breaker: { tableName: table, circuits: circuits.split(',').map((c) => c.trim()).filter(Boolean) } } : {}),
      ...(layers.layers.length > 0 ? { layers: layers.layers, optDirectory: optDirectoryOf(input.scratchDirectory, stackName, logicalId) } : {}),
    });
    into.functionTargets.set(`arn:aws:lambda:${input.region}:${input.account}:function:${functionName}`, { functionName });
  }

  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const props = resolver.properties(logicalId);
    const destination = props.DestinationConfig as { OnFailure?: { Destination?: string }; OnSuccess?: { Destination?: string } } | undefined;
    const qualifier = String(props.Qualifier ?? '$LATEST');
    const config: AsyncInvokeConfig = {
      maximumRetryAttempts: props.MaximumRetryAttempts === undefined ? 2 : Number(props.MaximumRetryAttempts),
      maximumEventAgeSeconds: props.MaximumEventAgeInSeconds === undefined ? 21_600 : Number(props.MaximumEventAgeInSeconds),
      ...(destination?.OnFailure?.Destination ? { onFailureArn: destination.OnFailure.Destination } : {}),
      ...(destination?.OnSuccess?.Destination ? { onSuccessArn: destination.OnSuccess.Destination } : {}),
    };
    into.asyncConfigs.set(`${String(props.FunctionName)}:${qualifier}`, config);
  }
}

/** The function's LoggingConfig: JSON format and its application log level (which applies to JSON only). */
function loggingConfig(config: unknown): { logFormat?: 'json'; applicationLogLevel?: string } {
  const c = config as { LogFormat?: unknown; ApplicationLogLevel?: unknown } | undefined;
  if (c?.LogFormat !== 'JSON') return {};
  return { logFormat: 'json', ...(typeof c.ApplicationLogLevel === 'string' ? { applicationLogLevel: c.ApplicationLogLevel } : {}) };
}

/** The directory holding the function's code: the bundled asset of cdk.out, or inline code written out. */
function codeDirectoryOf(input: FunctionModelInput, logicalId: string, resource: CfnResource, props: Record<string, unknown>): string | { problem: string } {
  const code = props.Code as { ZipFile?: unknown; S3Key?: unknown } | undefined;
  const assetPath = resource.Metadata?.['aws:asset:path'] ?? (typeof code?.S3Key === 'string' ? input.assetsByObjectKey.get(code.S3Key) : undefined);
  if (typeof assetPath === 'string') {
    const dir = isAbsolute(assetPath) ? assetPath : join(input.assemblyDirectory, assetPath);
    if (!existsSync(dir)) return { problem: `its code asset ${dir} is missing from the cloud assembly` };
    if (!statSync(dir).isDirectory()) return { problem: `its code asset ${dir} is a file (zip), not a bundled directory` };
    return dir;
  }
  if (typeof code?.ZipFile === 'string') {
    const dir = join(input.scratchDirectory, `${input.resolver.stackName}-${logicalId}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.js'), code.ZipFile);
    return dir;
  }
  return { problem: 'its code is not in the cloud assembly (no aws:asset:path metadata, no asset for its S3 key, no inline ZipFile)' };
}
