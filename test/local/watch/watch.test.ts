/*
 * `local --watch` on a small app (test/local/watch/app, copied to a temporary project with linked dependencies):
 * the runner runs the app, the watcher re-synthesizes it after each edit, and the tests talk HTTP to the API.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalRunner, startLocalRunner } from '../../../lib/local';
import { HotReload, ReloadOutcome, startWatch } from '../../../lib/local/watch/hot-reload';
import { linkedProject } from '../support/linked-project';

jest.setTimeout(120_000);

let project: string;
let runner: LocalRunner;
let watch: HotReload;
const lines: string[] = [];

const greetSource = (version: string) =>
  `exports.handler = async (event) => {\n  await new Promise((resolve) => setTimeout(resolve, Number(event.queryStringParameters?.sleep ?? 0)));\n  return { statusCode: 200, body: \`${version} \${process.env.GREETING}\` };\n};\n`;

function nextReload(): Promise<ReloadOutcome> {
  return new Promise((resolve) => watch.once('reload', resolve));
}

async function get(path: string): Promise<string> {
  const response = await fetch(`${runner.apis[0].url}${path}`);
  return `${response.status} ${await response.text()}`;
}

/** Writes a file and waits for the reload it causes. */
async function edit(file: string, text: string): Promise<ReloadOutcome> {
  const reloaded = nextReload();
  writeFileSync(join(project, file), text);
  return reloaded;
}

beforeAll(async () => {
  project = linkedProject(join(__dirname, 'app'));
  execFileSync(process.execPath, ['bin/app.js'], { cwd: project, env: { ...process.env, CDK_OUTDIR: join(project, 'cdk.out') } });
  runner = await startLocalRunner({ assembly: join(project, 'cdk.out'), port: 0, log: () => undefined, dashboard: false });
  watch = startWatch(runner, { project, assembly: join(project, 'cdk.out'), log: (l) => lines.push(l) });
  await watch.ready;
});

afterAll(async () => {
  watch?.stopWatching();
  await runner?.close();
  watch?.close();
  rmSync(project, { recursive: true, force: true });
});

test('the warm-up synth finds the running app up to date: nothing is swapped', () => {
  expect(lines.join('\n')).toContain('synthesizer ready');
  expect(lines.join('\n')).not.toContain('reloaded');
});

test('an edited handler answers with its new code; the unchanged function keeps its warm environment', async () => {
  expect(await get('/greet')).toBe('200 v1 hello');
  expect(await get('/other')).toBe('200 other');
  const otherBefore = runner.functions.environmentsOf(runner.functions.resolve('Other')!.spec.functionName);

  const outcome = await edit('handlers/greet/index.js', greetSource('v2'));
  expect(outcome).toMatchObject({ kind: 'swapped', swapped: ['Greet'], needsRestart: [] });
  expect(await get('/greet')).toBe('200 v2 hello');

  const other = runner.functions.resolve('Other')!.spec.functionName;
  expect(await get('/other')).toBe('200 other');
  expect(runner.functions.statsOf(other).coldStarts).toBe(1);
  expect(runner.functions.environmentsOf(other).map((e) => e.environmentId)).toEqual(otherBefore.map((e) => e.environmentId));
});

test('a request in flight during the swap finishes on the old code; the next one runs the new code', async () => {
  await edit('handlers/greet/index.js', greetSource('v3'));
  const inFlight = get('/greet?sleep=1500');
  await new Promise((r) => setTimeout(r, 300)); // the slow request is running in a v3 environment
  const outcome = await edit('handlers/greet/index.js', greetSource('v4'));
  expect(outcome.kind).toBe('swapped');
  expect(await get('/greet')).toBe('200 v4 hello');
  expect(await inFlight).toBe('200 v3 hello');
  await outcome.drained;
});

test('an environment variable change hot-swaps the function', async () => {
  const outcome = await edit('bin/settings.json', JSON.stringify({ greeting: 'bonjour' }));
  expect(outcome).toMatchObject({ kind: 'swapped', swapped: ['Greet'] });
  expect(lines[lines.length - 1]).toMatch(/reloaded Greet \(environment\)/);
  expect(await get('/greet')).toBe('200 v4 bonjour');
});

test('a synth error keeps the old code serving and is printed once; the fix reloads', async () => {
  const app = readFileSync(join(project, 'bin/app.js'), 'utf8');
  const broken = app.replace("handler: 'index.handler',", "handler: 'index.handler', memorySize: 'lots',");
  const failed = await edit('bin/app.js', broken);
  expect(failed.kind).toBe('failed');
  expect(failed.error).toMatch(/memorySize|lots|Number|number/i);
  expect(await get('/greet')).toBe('200 v4 bonjour');

  const again = await edit('bin/app.js', `${broken}\n// still broken\n`);
  expect(again.kind).toBe('failed');
  expect(lines.filter((l) => l.includes('synth failed')).length).toBe(1);
  expect(lines[lines.length - 1]).toContain('synth still fails with the same error');

  writeFileSync(join(project, 'handlers/greet/index.js'), greetSource('v5'));
  const fixed = await edit('bin/app.js', app);
  expect(fixed.kind).toBe('swapped');
  expect(await get('/greet')).toBe('200 v5 bonjour');
});

test('a new route is named as needing a restart; the routes that run keep serving', async () => {
  const app = readFileSync(join(project, 'bin/app.js'), 'utf8');
  const outcome = await edit('bin/app.js', app.replace('app.synth();', "api.addRoutes({ path: '/more', methods: [apigw.HttpMethod.GET], integration: new HttpLambdaIntegration('More', greet) });\napp.synth();"));
  expect(outcome).toMatchObject({ kind: 'unchanged', needsRestart: ['APIs or routes changed'] });
  expect(lines[lines.length - 1]).toContain('not swapped while running (restart `local` to serve them): APIs or routes changed');
  expect(await get('/more')).toBe('404 {"message":"Not Found"}');
  expect(await get('/greet')).toBe('200 v5 bonjour');
});
