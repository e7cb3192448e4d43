// `npm run test:floor`: installs the floor aws-cdk-lib (pinned/package-lock.json) unless it is there already,
// then runs jest with test/floor/jest.config.js, forwarding extra arguments (paths, -t, ...).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { pinnedCdkLibDir, FLOOR_VERSION } = require('./pinned-cdk-lib');

pinnedCdkLibDir();
const args = process.argv.slice(2);
console.log(`floor: running jest on aws-cdk-lib ${FLOOR_VERSION}${args.length ? `: ${args.join(' ')}` : ''}`);
const root = join(__dirname, '..', '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const run = spawnSync(process.execPath, [jest, '--config', join(__dirname, 'jest.config.js'), ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
