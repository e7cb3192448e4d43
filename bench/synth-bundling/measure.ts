import * as fs from 'fs';
import * as path from 'path';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { withInProcessBundling } from '../../lib/bundling';

/** Who bundles the handlers: NodejsFunction (`npx esbuild` per function) or the in-process bundler. */
export type Bundler = 'NodejsFunction' | 'in-process';

/** Writes `count` distinct handlers sharing one import, as in a real service; returns their entry files. */
export function writeHandlers(dir: string, count: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'shared.ts'), 'export const greet = (who: string) => `Hello, ${who}!`;\n');
  return Array.from({ length: count }, (_, i) => {
    const entry = path.join(dir, `fn${i}.ts`);
    fs.writeFileSync(entry, `import { greet } from './shared';\nexport const handler = async () => ({ statusCode: 200, body: greet('function ${i}') });\n`);
    return entry;
  });
}

/**
 * Seconds to construct and synthesize one stack of NodejsFunctions over `entries` in this process.
 * CDK's per-process asset cache is cleared first, so every run bundles as a fresh `cdk synth` would;
 * `outdir` left over from an earlier run gives the "unchanged sources" case.
 */
export function synthSeconds(props: {
  readonly entries: ReadonlyArray<string>;
  readonly bundler: Bundler;
  readonly outdir: string;
  readonly validator: boolean;
  readonly depsLockFilePath: string;
}): number {
  AssetStaging.clearAssetHashCache();
  process.env.CDK_VALIDATION = props.validator ? 'true' : 'false';
  const start = process.hrtime.bigint();
  const app = new App({ outdir: props.outdir });
  const stack = new Stack(app, 'Bench');
  props.entries.forEach((entry, i) => {
    const fnProps: NodejsFunctionProps = { entry, runtime: lambda.Runtime.NODEJS_24_X, depsLockFilePath: props.depsLockFilePath };
    new NodejsFunction(stack, `Fn${i}`, props.bundler === 'in-process' ? withInProcessBundling(stack, fnProps) : fnProps);
  });
  app.synth();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
