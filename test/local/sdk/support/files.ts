import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes a file, creating its folders; returns its path. */
export function writeFile(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A CommonJS package `name` in `nodeModules` whose `probe` export tells which copy was loaded. */
export function fakePackage(nodeModules: string, name: string, probe: string): void {
  writeFile(join(nodeModules, name, 'package.json'), JSON.stringify({ name, version: '0.0.0-test', main: 'index.js' }));
  writeFile(join(nodeModules, name, 'index.js'), `exports.probe = ${JSON.stringify(probe)};\n`);
}
