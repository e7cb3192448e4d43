import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHandler } from '../../../lib/local';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'resolve-handler-'));
  writeFileSync(join(dir, 'index.js'), '');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.mjs'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveHandler', () => {
  test('resolves file.export to the file and the export', () => {
    expect(resolveHandler(dir, 'index.handler')).toEqual({ handlerPath: join(dir, 'index.js'), handlerName: 'handler' });
  });
  test('resolves a nested ES module', () => {
    expect(resolveHandler(dir, 'src/app.main')).toEqual({ handlerPath: join(dir, 'src', 'app.mjs'), handlerName: 'main' });
  });
  test.each(['handler', '.handler', 'index.'])('rejects the malformed setting %j', (setting) => {
    expect(() => resolveHandler(dir, setting)).toThrow(`Handler must look like "file.export" (e.g. "index.handler"), got ${JSON.stringify(setting)}`);
  });
  test('names the files it looked for when none exists', () => {
    expect(() => resolveHandler(dir, 'missing.handler')).toThrow(`Handler "missing.handler" names no file: no missing.js, missing.mjs, missing.cjs in ${dir}`);
  });
});
