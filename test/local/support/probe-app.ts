import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** A cloud assembly synthesized from plain aws-cdk-lib constructs, in a temporary directory. */
export interface ProbeAssembly {
  readonly directory: string;
  remove(): void;
}

/**
 * Synthesizes a probe app: one stack built by `build` from plain aws-cdk-lib constructs, the way CDK users
 * write apps. aws-cdk-lib's template validator is turned off (the templates are not what these tests check).
 */
export function synthesizeProbe(build: (stack: Stack) => void): ProbeAssembly {
  const directory = mkdtempSync(join(tmpdir(), 'local-probe-'));
  const validation = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const app = new App({ outdir: directory, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    build(new Stack(app, 'Probe'));
    app.synth();
  } finally {
    if (validation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validation;
  }
  return { directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** A lambda.Function with inline (ZipFile) code on Node.js 24. */
export function inlineNodeFunction(scope: Construct, id: string, code: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline(code), ...props });
}
