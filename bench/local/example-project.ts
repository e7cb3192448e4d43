/*
 * The example app of bin/ as a user's project (see test/local/support/linked-project.ts): cdk.json, bin/ and the
 * handlers, importing the library by its package name, so a synth loads it from node_modules as a user's app does.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkedProject } from '../../test/local/support/linked-project';

const ROOT = join(__dirname, '..', '..');

export function exampleProject(): string {
  const project = linkedProject();
  cpSync(join(ROOT, 'bin', 'handlers'), join(project, 'bin', 'handlers'), { recursive: true });
  for (const file of ['example-app.ts', 'example-stack.ts']) {
    writeFileSync(join(project, 'bin', file), readFileSync(join(ROOT, 'bin', file), 'utf8').replace(/'\.\.\/lib'/g, "'cdk-resilient-serverless'"));
  }
  for (const file of readdirSync(join(project, 'bin', 'handlers'))) {
    const path = join(project, 'bin', 'handlers', file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/'\.\.\/\.\.\/lib\/runtime'/g, "'cdk-resilient-serverless/runtime'"));
  }
  cpSync(join(ROOT, 'cdk.json'), join(project, 'cdk.json'));
  return project;
}
