/*
 * `npm run bench:synth`: `cdk synth` wall time of an app with N ResilientFunctions vs the same app
 * with N plain NodejsFunctions (same handlers), cold (fresh output dir) and again with unchanged
 * sources, with aws-cdk-lib's built-in CloudFormation validator on and off, ten functions per stack;
 * then the CloudFormation resources one ResilientFunction adds under each alarm profile.
 * Usage: [--functions 50] [--resources-only]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { resourcesPerFunctionRows } from './resources';
import { printTable } from '../support/table';

const ROOT = path.join(__dirname, '..', '..');
const count = Number(argValue('--functions') ?? 50);
const work = path.join(ROOT, '.tmp', 'bench-synth');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.join(work, 'handlers'), { recursive: true });

// Distinct handlers with a shared import, as in a real service.
fs.writeFileSync(path.join(work, 'handlers', 'shared.ts'), 'export const greet = (who: string) => `Hello, ${who}!`;\n');
for (let i = 0; i < count; i++) {
  fs.writeFileSync(path.join(work, 'handlers', `fn${i}.ts`),
    `import { greet } from './shared';\nexport const handler = async () => ({ statusCode: 200, body: greet('function ${i}') });\n`);
}

const apps = {
  NodejsFunction: `new nodejs.NodejsFunction(stack, 'Fn' + i, { entry, runtime: lambda.Runtime.NODEJS_24_X })`,
  ResilientFunction: `new ResilientFunction(stack, 'Fn' + i, { entry })`,
  // Isolates bundling from the extra resources (alarms, queue) our defaults add to every function.
  ResilientFunctionLean: `new ResilientFunction(stack, 'Fn' + i, { entry, alarms: { enabled: false }, deadLetterQueueEnabled: false })`,
};
for (const [name, construct] of Object.entries(apps)) {
  fs.writeFileSync(path.join(work, `${name}.ts`), `
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { ResilientFunction } from '${path.relative(work, path.join(ROOT, 'lib')).split(path.sep).join('/')}';
void lambda; void nodejs; void ResilientFunction;
const app = new App();
// Ten functions per stack, as before the alarm profiles (a ResilientFunction was 14 resources then).
let stack = new Stack(app, 'Bench0');
for (let i = 0; i < ${count}; i++) {
  if (i > 0 && i % 10 === 0) stack = new Stack(app, 'Bench' + i / 10);
  const entry = path.join(__dirname, 'handlers', 'fn' + i + '.ts');
  ${construct};
}
app.synth();
`);
}

function synth(app: string, outdir: string, validator: boolean): number {
  const start = process.hrtime.bigint();
  const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--app', `npx tsx ${path.join(work, `${app}.ts`)}`, '--output', outdir], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', CDK_VALIDATION: validator ? 'true' : 'false' },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) {
    throw new Error(`cdk synth of ${app} failed:\n${run.stderr}`);
  }
  return seconds;
}

if (process.argv.includes('--resources-only')) {
  printResources();
  process.exit(0);
}

const rows: Array<Array<string | number>> = [];
for (const validator of [false, true]) {
  for (const phase of ['cold', 'unchanged sources']) {
    const times: Record<string, number> = {};
    for (const app of Object.keys(apps)) {
      const outdir = path.join(work, `out-${app}-${validator}`);
      if (phase === 'cold') {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
      times[app] = synth(app, outdir, validator);
    }
    const plain = times.NodejsFunction;
    const ours = times.ResilientFunction;
    const lean = times.ResilientFunctionLean;
    rows.push([validator ? 'on' : 'off', phase, plain.toFixed(2), ours.toFixed(2), `${(ours / plain).toFixed(2)}x`, lean.toFixed(2), `${(lean / plain).toFixed(2)}x`,
      (plain * 1000 / count).toFixed(0), (ours * 1000 / count).toFixed(0)]);
    console.error(`validator ${validator ? 'on' : 'off'}, ${phase}: done`);
  }
}
console.log(`\ncdk synth of ${count} functions (wall seconds, one run each, this machine: ${require('os').cpus().length} cores)\n`);
printTable(['validator', 'run', `${count}x NodejsFunction (s)`, `${count}x ResilientFunction (s)`, 'ratio',
  'alarms + DLQ off (s)', 'ratio', 'plain ms/fn', 'ours ms/fn'], rows);

printResources();

function printResources(): void {
  console.log('\nCloudFormation resources per ResilientFunction, by alarm profile (stack limit 500)\n');
  printTable(['profile', 'function', 'resources per function', '50 functions in one stack'], resourcesPerFunctionRows(work));
}

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
