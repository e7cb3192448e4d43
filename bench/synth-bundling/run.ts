/*
 * `npm run bench:synth-bundling`: in one Node process, construct + synthesize a stack of N NodejsFunctions
 * bundled by NodejsFunction itself (one `npx esbuild` per function) vs. by the in-process bundler, cold
 * (empty cdk.out) and with unchanged sources, validator off and on. Usage: [--functions 50]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { printTable } from '../support/table';
import { Bundler, synthSeconds, writeHandlers } from './measure';

const ROOT = path.join(__dirname, '..', '..');
const flag = process.argv.indexOf('--functions');
const count = flag >= 0 ? Number(process.argv[flag + 1]) : 50;
const work = path.join(ROOT, '.tmp', 'bench-synth-bundling');
fs.rmSync(work, { recursive: true, force: true });
const entries = writeHandlers(path.join(work, 'handlers'), count);
const depsLockFilePath = path.join(ROOT, 'package-lock.json');

// Load aws-cdk-lib's Lambda and validator modules before timing, so neither bundler pays for them.
const warmUp = new App({ outdir: path.join(work, 'warm-up') });
new lambda.Function(new Stack(warmUp, 'WarmUp'), 'Fn', {
  code: lambda.Code.fromInline('exports.handler = async () => 1'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X,
});
warmUp.synth();

const bundlers: Bundler[] = ['NodejsFunction', 'in-process'];
const rows: Array<Array<string | number>> = [];
for (const validator of [false, true]) {
  for (const phase of ['cold', 'unchanged sources']) {
    const seconds: Record<string, number> = {};
    for (const bundler of bundlers) {
      const outdir = path.join(work, `out-${bundler}-${validator}`);
      if (phase === 'cold') fs.rmSync(outdir, { recursive: true, force: true });
      seconds[bundler] = synthSeconds({ entries, bundler, outdir, validator, depsLockFilePath });
    }
    const plain = seconds.NodejsFunction;
    const ours = seconds['in-process'];
    rows.push([validator ? 'on' : 'off', phase, plain.toFixed(2), ours.toFixed(2), `${(ours / plain).toFixed(3)}x`,
      (plain * 1000 / count).toFixed(1), (ours * 1000 / count).toFixed(1)]);
    console.error(`validator ${validator ? 'on' : 'off'}, ${phase}: done`);
  }
}
console.log(`\nconstruct + synth of ${count} NodejsFunctions in one process (wall seconds, one run each, ${os.cpus().length} cores)\n`);
printTable(['validator', 'run', 'NodejsFunction bundling (s)', 'in-process (s)', 'ratio', 'plain ms/fn', 'in-process ms/fn'], rows);
