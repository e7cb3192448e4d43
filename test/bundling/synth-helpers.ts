import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { App } from 'aws-cdk-lib';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');
export const LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');

/**
 * A fresh directory under test/bundling/cdk.out (git-ignored). It lives inside the project so bundles with
 * external modules resolve them from the project's node_modules when run, as Lambda would from layers.
 */
export function makeScratchDir(prefix: string): string {
  const parent = path.join(__dirname, 'cdk.out');
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `${prefix}-`));
}

/** An App writing to `outdir` whose templates carry `aws:cdk:path` metadata (used to find functions). */
export function newTestApp(outdir: string): App {
  return new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
}

/** Asset directory and S3 key of every Lambda function in a synthesized stack, by construct id. */
export function functionAssets(app: App, stackName: string): Record<string, { dir: string; s3Key: string }> {
  const assembly = app.synth();
  const template = assembly.getStackByName(stackName).template as {
    Resources: Record<string, { Type: string; Properties: { Code: { S3Key: string } }; Metadata?: Record<string, string> }>;
  };
  const assets: Record<string, { dir: string; s3Key: string }> = {};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const id = resource.Metadata?.['aws:cdk:path']?.split('/')[1];
    if (!id) throw new Error('synthesized functions need aws:cdk:path metadata');
    const s3Key = resource.Properties.Code.S3Key;
    assets[id] = { dir: path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`), s3Key };
  }
  return assets;
}

/** Every file of a directory (relative path → contents), for byte comparison. */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) files[name] = fs.readFileSync(file, 'utf-8');
  }
  return files;
}

/**
 * Loads a bundle in a separate Node process (as the Lambda runtime would: `import()` for both formats)
 * and returns what its handler resolves to.
 */
export function invokeHandler(file: string, exportName: string, event: unknown): unknown {
  const script = `import(${JSON.stringify(pathToFileURL(file).href)})
    .then((m) => m[${JSON.stringify(exportName)}](${JSON.stringify(event)}))
    .then((r) => process.stdout.write(JSON.stringify(r)));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: path.dirname(file), encoding: 'utf-8' }));
}
