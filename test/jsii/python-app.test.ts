import * as fs from 'fs';
import * as path from 'path';
import { appTest, expectQuickstartTemplate, pinnedCdkLib, readmeBlock } from './support/quickstart';

// The Python app (python-app/app.py, the README's Python snippet) against the README's TypeScript quick start:
// same aws-cdk-lib version (the peer floor), same handlers, and the normalised templates must be equal.
// Needs the wheel from `npm run package -- python` (slow, so not part of `npm test`): see appTest.
test('the README Python snippet is test/jsii/python-app/app.py', () => {
  expect(readmeBlock('python-quickstart', 'python')).toEqual(fs.readFileSync(path.join(__dirname, 'python-app', 'app.py'), 'utf-8'));
});

appTest('python', __filename)('the Python app synthesizes the same template as the TypeScript quick start', () => {
  expectQuickstartTemplate('python', pinnedCdkLib());
}, 600_000);
