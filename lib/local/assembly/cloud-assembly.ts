import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { LocalRunnerError } from '../errors';

/** A CloudFormation template as the runner reads it. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Outputs?: Record<string, { readonly Value: unknown }>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
}

/** One stack of a cloud assembly. */
export interface AssemblyStack {
  /** Artifact id (what `--stack` names). */
  readonly id: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  readonly templatePath: string;
  readonly template: CfnTemplate;
  /** File assets of the stack by S3 object key (`<hash>.zip`) → absolute source path in the assembly. */
  readonly assetsByObjectKey: ReadonlyMap<string, string>;
}

/** The stacks of a synthesized cloud assembly (cdk.out). */
export interface CloudAssembly {
  readonly directory: string;
  readonly stacks: readonly AssemblyStack[];
}

/**
 * Reads `manifest.json` and the stack templates of a cloud assembly, including the stacks of nested
 * assemblies (CDK stages). Every failure names the file and what was wrong with it.
 */
export function loadCloudAssembly(directory: string): CloudAssembly {
  const dir = resolve(directory);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new LocalRunnerError(`No cloud assembly at ${dir}: the directory does not exist. Run \`npx cdk synth\` first or pass --app <cdk.out directory>.`);
  }
  return { directory: dir, stacks: readStacks(dir) };
}

function readStacks(dir: string): AssemblyStack[] {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new LocalRunnerError(`No cloud assembly at ${dir}: manifest.json is missing. Run \`npx cdk synth\` first or pass --app <cdk.out directory>.`);
  }
  const manifest = readJson(manifestPath, 'cloud assembly manifest') as { artifacts?: Record<string, ManifestArtifact> };
  if (typeof manifest !== 'object' || manifest === null || (manifest.artifacts !== undefined && typeof manifest.artifacts !== 'object')) {
    throw new LocalRunnerError(`Corrupt cloud assembly manifest ${manifestPath}: expected an object with "artifacts", got ${JSON.stringify(manifest)?.slice(0, 80)}`);
  }
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact?.type === 'aws:cloudformation:stack') {
      const file = artifact.properties?.templateFile;
      if (typeof file !== 'string') {
        throw new LocalRunnerError(`Corrupt cloud assembly manifest ${manifestPath}: stack ${id} has no properties.templateFile`);
      }
      const templatePath = isAbsolute(file) ? file : join(dir, file);
      if (!existsSync(templatePath)) {
        throw new LocalRunnerError(`Corrupt cloud assembly ${dir}: template ${file} of stack ${id} is missing`);
      }
      const template = readJson(templatePath, `template of stack ${id}`) as CfnTemplate;
      if (typeof template !== 'object' || template === null || (template.Resources !== undefined && typeof template.Resources !== 'object')) {
        throw new LocalRunnerError(`Corrupt template ${templatePath}: expected an object with "Resources"`);
      }
      const assetsByObjectKey = readAssetManifests(dir, manifest.artifacts ?? {}, artifact.dependencies ?? []);
      stacks.push({ id, stackName: artifact.properties?.stackName ?? artifact.displayName ?? id, templatePath, template, assetsByObjectKey });
    } else if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      // A CDK Stage: its stacks live in a nested assembly.
      stacks.push(...readStacks(join(dir, artifact.properties.directoryName)));
    }
  }
  return stacks;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly dependencies?: string[];
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string; readonly file?: string };
}

/**
 * The asset manifests a stack depends on, as object key → source path. Templates synthesized without the CDK
 * CLI carry no `aws:asset:path` metadata; the asset manifest still says which directory a code key comes from.
 */
function readAssetManifests(dir: string, artifacts: Record<string, ManifestArtifact>, dependencies: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const dep of dependencies) {
    const artifact = artifacts[dep];
    if (artifact?.type !== 'cdk:asset-manifest' || typeof artifact.properties?.file !== 'string') continue;
    const path = join(dir, artifact.properties.file);
    if (!existsSync(path)) continue;
    const files = (readJson(path, 'asset manifest') as { files?: Record<string, { source?: { path?: string }; destinations?: Record<string, { objectKey?: string }> }> }).files ?? {};
    for (const asset of Object.values(files)) {
      if (typeof asset.source?.path !== 'string') continue;
      for (const destination of Object.values(asset.destinations ?? {})) {
        if (typeof destination.objectKey === 'string') out.set(destination.objectKey, isAbsolute(asset.source.path) ? asset.source.path : join(dir, asset.source.path));
      }
    }
  }
  return out;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LocalRunnerError(`Cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LocalRunnerError(`Corrupt ${what} ${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** Picks the stacks to run: all of them, or the one `--stack` names (by artifact id or stack name). */
export function selectStacks(assembly: CloudAssembly, stackName: string | undefined): AssemblyStack[] {
  if (assembly.stacks.length === 0) {
    throw new LocalRunnerError(`The cloud assembly at ${assembly.directory} contains no stacks.`);
  }
  if (stackName === undefined) return [...assembly.stacks];
  const match = assembly.stacks.filter((s) => s.id === stackName || s.stackName === stackName);
  if (match.length === 0) {
    const known = assembly.stacks.map((s) => s.id).join(', ');
    throw new LocalRunnerError(`Unknown stack ${JSON.stringify(stackName)} (--stack): the assembly at ${assembly.directory} has ${known}.`);
  }
  return match;
}
