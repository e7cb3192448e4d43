import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareApp, PreparedApp, RunningApp } from '../conformance/support/packed-runner';

/*
 * A layer written the way CDK users write one (apps/greetings-layer: lambda.LayerVersion whose asset is a folder
 * plus uuid copied into nodejs/node_modules by local bundling; a NodejsFunction with uuid in externalModules), run
 * unmodified by the packed CLI. Layers are extracted to /opt; Node.js packages in nodejs/node_modules resolve through
 * NODE_PATH: https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html
 */

let app: PreparedApp;
let runner: RunningApp;

beforeAll(async () => {
  app = await prepareApp(path.join(__dirname, 'greetings-layer'));
  runner = await app.start();
});
afterAll(() => app?.remove());

test('the bundle leaves uuid to the layer, and the layer is a LayerVersion the runner emulates', () => {
  const bundles = fs.readdirSync(app.assembly).map((d) => path.join(app.assembly, d, 'index.js')).filter((f) => fs.existsSync(f));
  expect(bundles).toHaveLength(1);
  expect(fs.readFileSync(bundles[0], 'utf8')).toMatch(/require\("uuid"\)/);
  expect(runner.report).not.toMatch(/NOT EMULATED|LayerVersion/);
});

test('GET /hello: uuid from the layer, the config read from /opt, NODE_PATH listing the layer folders first', async () => {
  const response = await fetch(`${runner.apis['GreetingsApi']}/hello`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { requestId: string; greeting: string; nodePath: string };
  expect(body.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(body.greeting).toBe('hello from the layer');
  expect(body.nodePath.split(':')).toEqual([
    expect.stringMatching(/\/opt\/GreetingsLayer-Hello[0-9A-F]{8}\/nodejs\/node24\/node_modules$/),
    expect.stringMatching(/\/opt\/GreetingsLayer-Hello[0-9A-F]{8}\/nodejs\/node_modules$/),
    expect.stringMatching(/asset\.[0-9a-f]+$/),
  ]);
});

test('from the command line: --env-vars keyed by the construct id, --inspect=0 printing the environment\'s debugger URL', async () => {
  const envVars = path.join(app.dir, 'env.json');
  fs.writeFileSync(envVars, JSON.stringify({ Hello: { GREETING_SUFFIX: '!' } }));
  const debug = await app.start({ args: ['--env-vars', envVars, '--inspect=0'] });
  try {
    expect(debug.lines.join('\n')).toMatch(/environment overrides:\n {2}Hello: GREETING_SUFFIX="!" \(not in the template: added\)/);
    expect(debug.lines.join('\n')).toMatch(/inspector: environments of every function open a debugger on ephemeral ports at 127\.0\.0\.1/);
    const response = await fetch(`${debug.apis['GreetingsApi']}/hello`);
    expect(((await response.json()) as { greeting: string }).greeting).toBe('hello from the layer!');
    const line = await debug.waitForLine(/debugger listening on ws:\/\/127\.0\.0\.1:\d+\//, 'the debugger URL');
    const port = Number(/ws:\/\/127\.0\.0\.1:(\d+)\//.exec(line)![1]);
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as unknown[];
    expect(targets).toHaveLength(1);
  } finally {
    await debug.stop();
  }
});
