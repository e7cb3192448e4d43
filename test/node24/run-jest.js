// `npm run test:node24`: installs the Node 24 interpreter if needed, then runs the given jest paths on it.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { installNode24 } = require('./interpreter');

const node = installNode24();
if (!node) process.exit(0);
const jest = join(__dirname, '..', '..', 'node_modules', 'jest', 'bin', 'jest.js');
console.log(`node24: running jest on ${spawnSync(node, ['--version'], { encoding: 'utf-8' }).stdout.trim()}: ${process.argv.slice(2).join(' ')}`);
const run = spawnSync(node, [jest, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
