import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzip } from '../../../lib/local/layers/unzip';
import { zipOf } from './zip-fixture';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'unzip-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

test('extracts deflated files into nested folders, keeps executable modes, overwrites what is there', () => {
  const archive = join(work, 'a.zip');
  writeFileSync(archive, zipOf({ 'nodejs/node_modules/x/index.js': 'module.exports = 1;', 'bin/run': '#!/bin/sh' }, { 'bin/run': 0o755 }));
  const into = join(work, 'opt');
  writeFileSync(join(work, 'placeholder'), '');
  unzip(archive, into);
  writeFileSync(archive, zipOf({ 'nodejs/node_modules/x/index.js': 'module.exports = 2;' }));
  unzip(archive, into);
  expect(readFileSync(join(into, 'nodejs/node_modules/x/index.js'), 'utf8')).toBe('module.exports = 2;');
  expect(statSync(join(into, 'bin/run')).mode & 0o777).toBe(0o755);
});

test('an entry that climbs out of the folder (zip slip) is refused, naming the archive and the entry', () => {
  const archive = join(work, 'evil.zip');
  writeFileSync(archive, zipOf({ '../escaped.txt': 'x' }));
  expect(() => unzip(archive, join(work, 'opt'))).toThrow(`${archive} is not a zip archive the runner can extract: entry "../escaped.txt" points outside the archive`);
  expect(existsSync(join(work, 'escaped.txt'))).toBe(false);
});

test('a file that is not a zip archive is refused', () => {
  const archive = join(work, 'not.zip');
  writeFileSync(archive, 'just text');
  expect(() => unzip(archive, join(work, 'opt'))).toThrow(`${archive} is not a zip archive the runner can extract: no end of central directory record`);
});
