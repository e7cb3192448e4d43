import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../lib/local/cli/main';
import { inlineFunction, writeAssembly } from '../support/handmade-assembly';

/* --inspect, --inspect-function, --env-vars and --parameter-overrides on the command line: each mistake is one message and exit code. */

const work = mkdtempSync(join(tmpdir(), 'local-loop-cli-'));
const app = writeAssembly({ App: { Parameters: { Stage: { Type: 'String', Default: 'prod' } }, Resources: { Hello: inlineFunction('hi') } } });
afterAll(() => {
  app.remove();
  rmSync(work, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['local', '--app', app.directory, '--port', '0', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function envFile(name: string, content: string): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

const SHAPE = 'Expected { "Parameters": { "VAR": "value" }, "<function logical id or name>": { "VAR": "value" } }.';

test.each([
  ['a missing file', () => join(work, 'missing.json'), (f: string) => `error: --env-vars ${f}: cannot read the file (ENOENT)`],
  ['not JSON', () => envFile('bad.json', '{ "Hello": '), (f: string) => expect.stringMatching(new RegExp(`^error: --env-vars ${f}: not valid JSON \\(`))],
  ['a top-level array', () => envFile('array.json', '[]'), (f: string) => `error: --env-vars ${f}: must be a JSON object like { "Parameters": { "VAR": "value" }, "<function logical id or name>": { "VAR": "value" } }, got an array`],
  ['a function key holding a string', () => envFile('flat.json', '{ "Hello": "x" }'), (f: string) => `error: --env-vars ${f}:\n  - "Hello" must be an object of variables, got string "x"\n${SHAPE}`],
  ['values that are null or a list, a name Lambda refuses', () => envFile('values.json', '{ "Parameters": { "A": null, "B": [1], "1C": "x" } }'),
    (f: string) => `error: --env-vars ${f}:\n  - "Parameters"."A" must be a string, number or boolean, got null\n  - "Parameters"."B" must be a string, number or boolean, got an array\n  - "Parameters"."1C": Lambda variable names start with a letter and hold letters, digits and _\n${SHAPE}`],
])('--env-vars with %s: exit 1, the file and the problem named', async (_what, file, message) => {
  const path = file();
  const r = await run(['--env-vars', path]);
  expect([r.code, r.err]).toEqual([1, message(path)]);
});

test.each([
  [['--parameter-overrides', 'Stage'], `error: --parameter-overrides has "Stage", which is not Key=Value or ParameterKey=Key,ParameterValue=Value, got "Stage"`],
  [['--parameter-overrides', 'Stage=a Stage=b'], `error: --parameter-overrides gives Stage twice ("a" and "b"), got "Stage=a Stage=b"`],
  [['--inspect', '9229'], "error: option '--inspect' for 'local' takes its value after '=': write --inspect=9229, not --inspect 9229."],
  [['--inspect=70000'], 'error: --inspect must be [host:]port with a port from 0 to 65535 (0: ephemeral ports), e.g. --inspect=9229 or --inspect=0.0.0.0:9229, got "70000"'],
  [['--inspect='], "error: option '--inspect' for 'local' has an empty value: write --inspect or --inspect=<[host:]port>."],
  [['--inspect-function', ','], 'error: --inspect-function must be function names separated by commas, got ","'],
])('%j: a usage error (exit 2)', async (args, message) => {
  const r = await run(args);
  expect([r.code, r.err]).toEqual([2, `${message}\nRun 'cdk-resilient-serverless local --help' for usage.`]);
});

test('exit 1 for an override of a parameter the app does not declare, and for an inspected function it does not have', async () => {
  const unknown = await run(['--parameter-overrides', 'Stag=dev']);
  expect([unknown.code, unknown.err]).toEqual([1, 'error: --parameter-overrides cannot be applied:\n  - Stag: no stack run here declares this parameter (they declare: Stage)']);
  const fn = await run(['--inspect-function', 'Helo']);
  expect([fn.code, fn.err]).toEqual([1, 'error: --inspect-function "Helo" names no function of the app; it has Hello (Hello)']);
});

test('the usage lists the flags, the bare value of --inspect and the sections explaining them', async () => {
  const out: string[] = [];
  expect(await main(['local', '--help'], { out: (s) => out.push(s), err: () => undefined })).toBe(0);
  const usage = out.join('\n');
  expect(usage).toMatch(/--inspect\[=<\[host:\]port>\] +Environments start with the Node\.js inspector.* \[default: off; alone: 127\.0\.0\.1:9229\]/);
  expect(usage).toMatch(/--inspect-function <name\[,name\]> +Inspects only these functions .*implies --inspect\. \[default: every function, with --inspect\]/);
  expect(usage).toMatch(/--env-vars <file\.json> +Environment variables in SAM's --env-vars JSON/);
  expect(usage).toMatch(/--parameter-overrides <Key=Value \.\.\.> +CloudFormation parameter values/);
  for (const section of ['Layers:', 'Debugging:', 'Overrides:']) expect(usage).toContain(`\n${section}\n`);
});
