import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

// API.md is generated from the jsii assembly (`npm run build` first, as `npm test` does).
test('API.md is current: regenerate with `npm run build && npm run docgen`', () => {
  const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-')), 'API.md');
  const run = spawnSync(process.execPath, [require.resolve('jsii-docgen/bin/jsii-docgen'), '-o', fresh], { cwd: ROOT, encoding: 'utf-8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf-8')).toEqual(fs.readFileSync(fresh, 'utf-8'));
});
