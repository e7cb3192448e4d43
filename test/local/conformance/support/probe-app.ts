import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRunner, LocalRunnerOptions, startLocalRunner } from '../../../../lib/local/runner';

/** A probe function: the files of its code directory (copied from probes/) and its CloudFormation properties. */
export interface ProbeFunction {
  /** Folder under test/local/conformance/probes/ that is the function's code asset. */
  readonly code: string;
  readonly handler: string;
  /** @default 'nodejs24.x' */
  readonly runtime?: string;
  readonly timeout?: number;
  readonly extra?: Record<string, unknown>;
}

export const PROBES = join(__dirname, '..', 'probes');

/**
 * A cloud assembly written by hand the way `cdk synth` writes one for plain lambda.Function constructs
 * (code assets as directories referenced by `aws:asset:path`), plus any other resources, started in the runner.
 */
export async function startProbeApp(
  functions: Record<string, ProbeFunction>, other: Record<string, unknown> = {}, options: Partial<LocalRunnerOptions> = {},
): Promise<{ runner: LocalRunner; lines: string[]; close(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'conformance-'));
  const resources: Record<string, unknown> = { ...other };
  for (const [logicalId, fn] of Object.entries(functions)) {
    const asset = `asset.${logicalId}`;
    cpSync(join(PROBES, fn.code), join(directory, asset), { recursive: true });
    resources[logicalId] = {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:asset:path': asset },
      Properties: {
        FunctionName: logicalId, Runtime: fn.runtime ?? 'nodejs24.x', Handler: fn.handler, Timeout: fn.timeout ?? 3,
        Code: { S3Bucket: 'cdk-assets', S3Key: `${logicalId}.zip` }, ...fn.extra,
      },
    };
  }
  writeFileSync(join(directory, 'Probe.template.json'), JSON.stringify({ Resources: resources }));
  writeFileSync(join(directory, 'manifest.json'), JSON.stringify({
    version: '55.0.0',
    artifacts: { Probe: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Probe.template.json' } } },
  }));
  const lines: string[] = [];
  const runner = await startLocalRunner({ assembly: directory, port: 0, log: (l) => lines.push(l), ...options });
  return {
    runner,
    lines,
    close: async () => {
      await runner.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
