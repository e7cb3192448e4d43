/*
 * A CDK project in a temporary folder, shaped as a user's: its files copied from a folder of this checkout, and a
 * node_modules of links to this checkout's dependencies (and to the library itself, its package name resolving to
 * the built dist/). A synth there loads aws-cdk-lib and the library from node_modules, as in a user's project.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

export function linkedProject(source?: string): string {
  const project = mkdtempSync(join(tmpdir(), 'linked-project-'));
  if (source) cpSync(source, project, { recursive: true });
  mkdirSync(join(project, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name.startsWith('.') && name !== '.bin') continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name));
  }
  symlinkSync(ROOT, join(project, 'node_modules', 'cdk-resilient-serverless'));
  if (!existsSync(join(project, 'package.json'))) writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'linked-project', private: true }));
  // NodejsFunction finds the project root by its lock file.
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'linked-project', lockfileVersion: 3, requires: true, packages: {} }));
  return project;
}
