import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { appTest, pinnedCdkLib, readmeBlock, readOrders, ROOT, synthTypeScriptQuickstart, workDir } from './support/quickstart';

// The Python app (python-app/app.py, the README's Python snippet) against the README's TypeScript quick start:
// same aws-cdk-lib version (the peer floor), same handlers, and the normalised templates must be equal.
// Needs the wheel from `npm run package -- python` (slow, so not part of `npm test`): see appTest.
const APP_DIR = path.join(__dirname, 'python-app');

test('the README Python snippet is test/jsii/python-app/app.py', () => {
  expect(readmeBlock('python-quickstart', 'python')).toEqual(fs.readFileSync(path.join(APP_DIR, 'app.py'), 'utf-8'));
});

appTest('python', __filename)('the Python app synthesizes the same template as the TypeScript quick start', () => {
  const work = workDir('python-app');
  try {
    const python = spawnSync(path.join(APP_DIR, 'run.sh'), [path.join(work, 'python.out')], { cwd: ROOT, encoding: 'utf-8' });
    expect({ status: python.status, stderr: python.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });

    const typescript = synthTypeScriptQuickstart(work, pinnedCdkLib());
    expect(typescript).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });

    const fromPython = readOrders(work, 'python.out');
    expect(Object.keys(fromPython.Resources).length).toBeGreaterThan(50);
    expect(fromPython).toEqual(readOrders(work, 'ts.out'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 600_000);
