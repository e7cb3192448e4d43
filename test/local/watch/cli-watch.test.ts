/*
 * `local --app DIR --watch` from the command line: the runner watches the assembly folder, and a synth someone
 * else runs into it (here the test app's own command, as `cdk synth` would) swaps the changed function in.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../lib/local/cli/main';
import { linkedProject } from '../support/linked-project';

jest.setTimeout(120_000);

let project: string;
beforeAll(() => {
  project = linkedProject(join(__dirname, 'app'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const synth = () => execFileSync(process.execPath, ['bin/app.js'], { cwd: project, env: { ...process.env, CDK_OUTDIR: join(project, 'cdk.out') } });

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('--app DIR --watch reloads after a synth into DIR; Ctrl-C stops it with the summary', async () => {
  synth();
  const out: string[] = [];
  const exit = main(['local', '--app', join(project, 'cdk.out'), '--port', '0', '--watch', '--quiet'], { out: (s) => out.push(s), err: (s) => out.push(s) });
  const url = await waitFor('the start-up report', () => /HTTP API \(v2 events\) Api: (http:\S+)/.exec(out.join('\n'))?.[1]);
  expect(out.join('\n')).toContain(`watching ${join(project, 'cdk.out')}: after each \`cdk synth\` into it, the changed functions swap in`);
  expect(await (await fetch(`${url}/greet`)).text()).toBe('v1 hello');

  writeFileSync(join(project, 'handlers/greet/index.js'), "exports.handler = async () => ({ statusCode: 200, body: 'edited' });\n");
  synth();
  await waitFor('the reload line', () => out.find((l) => /reloaded Greet \(code\)/.test(l)));
  expect(await (await fetch(`${url}/greet`)).text()).toBe('edited');

  process.emit('SIGINT');
  expect(await exit).toBe(0);
  expect(out.join('\n')).toContain('Summary');
});
