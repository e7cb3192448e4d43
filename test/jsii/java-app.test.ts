import * as fs from 'fs';
import * as path from 'path';
import { appTest, expectQuickstartTemplate, pinnedCdkLib, readmeBlock } from './support/quickstart';

// The Java app (java-app/.../OrdersApp.java, the README's Java snippet) against the README's TypeScript quick
// start: same aws-cdk-lib version (the peer floor), same handlers, and the normalised templates must be equal.
// Needs the jar from `npm run package -- java` (slow, so not part of `npm test`): see appTest.
const APP_SOURCE = path.join(__dirname, 'java-app', 'src', 'main', 'java', 'com', 'example', 'orders', 'OrdersApp.java');

test('the README Java snippet is test/jsii/java-app/src/main/java/com/example/orders/OrdersApp.java', () => {
  expect(readmeBlock('java-quickstart', 'java')).toEqual(fs.readFileSync(APP_SOURCE, 'utf-8'));
});

appTest('java', __filename)('the Java app synthesizes the same template as the TypeScript quick start', () => {
  expectQuickstartTemplate('java', pinnedCdkLib());
}, 600_000);
