import * as fs from 'fs';
import * as path from 'path';
import { appTest, expectQuickstartTemplate, pinnedCdkLib, readmeBlock } from './support/quickstart';

// The Go app (go-app/main.go, the README's Go snippet) against the README's TypeScript quick start: same
// aws-cdk-lib version, same handlers, and the normalised templates must be equal.
// The library's go.mod requires aws-cdk-go at the peer floor (bin/package-targets.js), but this machine's Go
// module proxy does not serve v2.252.0, so the app pins the oldest version it serves (go-app/go.mod) and the
// TypeScript side synthesizes on the same version from npm (go-app/cdk-lib).
// Needs the module from `npm run package -- go` (slow, so not part of `npm test`): see appTest.
const APP_DIR = path.join(__dirname, 'go-app');

test('the README Go snippet is test/jsii/go-app/main.go', () => {
  expect(readmeBlock('go-quickstart', 'go')).toEqual(fs.readFileSync(path.join(APP_DIR, 'main.go'), 'utf-8'));
});

appTest('go', __filename)('the Go app synthesizes the same template as the TypeScript quick start', () => {
  expectQuickstartTemplate('go', pinnedCdkLib(path.join(APP_DIR, 'cdk-lib')));
}, 900_000);
