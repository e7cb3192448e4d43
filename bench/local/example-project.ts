/*
 * The example app of bin/ as a user's project: a temporary folder with cdk.json, bin/ and the handlers, importing
 * the library by its package name, and a node_modules of links to this checkout's dependencies and to the
 * library itself (its built dist/). So a synth there loads the library the way a user's app does: from
 * node_modules, not as the app's own source.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export function exampleProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'example-project-'));
  mkdirSync(join(project, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name.startsWith('.') && name !== '.bin') continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name));
  }
  symlinkSync(ROOT, join(project, 'node_modules', 'cdk-resilient-serverless'));
  cpSync(join(ROOT, 'bin', 'handlers'), join(project, 'bin', 'handlers'), { recursive: true });
  for (const file of ['example-app.ts', 'example-stack.ts']) {
    writeFileSync(join(project, 'bin', file), readFileSync(join(ROOT, 'bin', file), 'utf8').replace(/'\.\.\/lib'/g, "'cdk-resilient-serverless'"));
  }
  for (const file of readdirSync(join(project, 'bin', 'handlers'))) {
    const path = join(project, 'bin', 'handlers', file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/'\.\.\/\.\.\/lib\/runtime'/g, "'cdk-resilient-serverless/runtime'"));
  }
  cpSync(join(ROOT, 'cdk.json'), join(project, 'cdk.json'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'example-project', private: true }));
  // NodejsFunction finds the project root by its lock file.
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'example-project', lockfileVersion: 3, requires: true, packages: {} }));
  return project;
}
