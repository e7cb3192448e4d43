import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { appTest, pinnedCdkLib, readmeBlock, readOrders, ROOT, synthTypeScriptQuickstart, workDir } from './support/quickstart';

// The Java app (java-app/.../OrdersApp.java, the README's Java snippet) against the README's TypeScript quick
// start: same aws-cdk-lib version (the peer floor), same handlers, and the normalised templates must be equal.
// Needs the jar from `npm run package -- java` (slow, so not part of `npm test`): see appTest.
const APP_DIR = path.join(__dirname, 'java-app');
const APP_SOURCE = path.join(APP_DIR, 'src', 'main', 'java', 'com', 'example', 'orders', 'OrdersApp.java');

test('the README Java snippet is test/jsii/java-app/src/main/java/com/example/orders/OrdersApp.java', () => {
  expect(readmeBlock('java-quickstart', 'java')).toEqual(fs.readFileSync(APP_SOURCE, 'utf-8'));
});

appTest('java', __filename)('the Java app synthesizes the same template as the TypeScript quick start', () => {
  const work = workDir('java-app');
  try {
    const java = spawnSync(path.join(APP_DIR, 'run.sh'), [path.join(work, 'java.out')], { cwd: ROOT, encoding: 'utf-8' });
    expect({ status: java.status, stdout: java.stdout, stderr: java.stderr }).toEqual({
      status: 0,
      stdout: expect.not.stringMatching(/\[ERROR\]/),
      stderr: expect.not.stringMatching(/Error/),
    });

    const typescript = synthTypeScriptQuickstart(work, pinnedCdkLib());
    expect(typescript).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });

    const fromJava = readOrders(work, 'java.out');
    expect(Object.keys(fromJava.Resources).length).toBeGreaterThan(50);
    expect(fromJava).toEqual(readOrders(work, 'ts.out'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 600_000);
