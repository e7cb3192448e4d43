import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { CfnResource } from '../assembly/cloud-assembly';
import type { TemplateResolver } from '../intrinsics/template-resolver';
import { displayName } from '../model/display-name';

/** A layer the app itself defines (AWS::Lambda::LayerVersion), by the ARN its Ref resolves to. */
export interface LayerSpec {
  readonly arn: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly displayName: string;
  /** The layer's content in the assembly: a directory, or a `.zip` file; a problem when it is not there. */
  readonly content: { readonly directory: string } | { readonly zip: string } | { readonly problem: string };
}

/** A layer a function lists in `Layers`, as the runner will put it in the function's /opt. */
export interface FunctionLayer {
  readonly arn: string;
  readonly content: { readonly directory: string } | { readonly zip: string };
}

/**
 * Reads the LayerVersion resources of one stack: the ARN functions name them by and where their content is
 * (the asset's `aws:asset:path` metadata, else the asset published under `Content.S3Key`).
 */
export function readLayers(resolver: TemplateResolver, resources: ReadonlyArray<[string, CfnResource]>, assemblyDirectory: string, assetsByObjectKey: ReadonlyMap<string, string>): LayerSpec[] {
  const layers: LayerSpec[] = [];
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::LayerVersion') continue;
    const arn = resolver.attributes(logicalId, `Resources.${logicalId}`).ref;
    const props = resolver.properties(logicalId);
    const s3Key = (props.Content as { S3Key?: unknown } | undefined)?.S3Key;
    const assetPath = resource.Metadata?.['aws:asset:path'] ?? (typeof s3Key === 'string' ? assetsByObjectKey.get(s3Key) : undefined);
    layers.push({ arn, stackName: resolver.stackName, logicalId, displayName: displayName(resolver.stackName, logicalId, resource), content: contentOf(assetPath, assemblyDirectory) });
  }
  return layers;
}

function contentOf(assetPath: unknown, assemblyDirectory: string): LayerSpec['content'] {
  if (typeof assetPath !== 'string') return { problem: 'its content is not in the cloud assembly (no aws:asset:path metadata, no asset for its S3 key)' };
  const path = isAbsolute(assetPath) ? assetPath : join(assemblyDirectory, assetPath);
  if (!existsSync(path)) return { problem: `its content ${path} is missing from the cloud assembly` };
  if (statSync(path).isDirectory()) return { directory: path };
  if (path.endsWith('.zip')) return { zip: path };
  return { problem: `its content ${path} is neither a directory nor a .zip archive` };
}

/**
 * The layers a function lists, in its order (Lambda merges them into /opt in that order, later ones overwriting
 * earlier files), or the problem that keeps the function from running with them: a layer of another account or
 * of a stack not in the assembly has no content here.
 */
export function functionLayers(listed: unknown, layers: ReadonlyMap<string, LayerSpec>): { layers: FunctionLayer[] } | { problem: string } {
  if (listed === undefined) return { layers: [] };
  if (!Array.isArray(listed)) return { problem: `its Layers property is not a list of layer version ARNs: ${JSON.stringify(listed)}` };
  const out: FunctionLayer[] = [];
  const problems: string[] = [];
  for (const arn of listed) {
    const layer = typeof arn === 'string' ? layers.get(arn) : undefined;
    if (!layer) {
      problems.push(`layer ${String(arn)} is not defined in this app (a layer of another account or stack has no content here; add it to the app as a lambda.LayerVersion to run the function locally)`);
    } else if ('problem' in layer.content) {
      problems.push(`layer ${layer.displayName} (${layer.arn}): ${layer.content.problem}`);
    } else {
      out.push({ arn: layer.arn, content: layer.content });
    }
  }
  return problems.length > 0 ? { problem: problems.join('; ') } : { layers: out };
}
