import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LocalRunnerError } from '../../../lib/local/errors';
import { startLocalRunner } from '../../../lib/local/runner';
import { ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { zipOf } from './zip-fixture';

/*
 * Layers the way CDK users write them (lambda.LayerVersion with Code.fromAsset of a folder or a .zip, a
 * lambda.Function listing them), run by the local runner:
 * - Lambda extracts the layers into /opt in the order the function lists them; a later layer overwrites files of
 *   earlier ones: https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
 * - Node.js packages in a layer go under nodejs/node_modules or nodejs/node<major>/node_modules, which NODE_PATH
 *   lists: https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html. The runtime's bootstrap sets
 *   NODE_PATH=/opt/nodejs/node<major>/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task.
 */

let work: string;
let probe: ProbeAssembly | undefined;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'layers-'));
});
afterEach(() => {
  probe?.remove();
  probe = undefined;
  rmSync(work, { recursive: true, force: true });
});

function file(path: string, content: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

/** Layer A (a folder): a package on nodejs/node_modules, one under nodejs/node<major>, a config file, a shared module. */
function layerA(major: number): string {
  const dir = join(work, 'layer-a');
  file(join(dir, 'nodejs/node_modules/greeting/index.js'), "module.exports = (name) => `hello ${name} from layer A`;\n");
  file(join(dir, `nodejs/node${major}/node_modules/versioned/index.js`), `module.exports = 'node${major} folder';\n`);
  file(join(dir, 'nodejs/shared.js'), "exports.shared = 'shared from layer A';\n");
  file(join(dir, 'config.json'), JSON.stringify({ from: 'A' }));
  file(join(dir, 'only-a.txt'), 'A was here');
  return dir;
}

/** Layer B (a .zip): overwrites config.json, adds a file. */
function layerB(): string {
  const zip = join(work, 'layer-b.zip');
  writeFileSync(zip, zipOf({ 'config.json': JSON.stringify({ from: 'B' }), 'bin/tool.sh': '#!/bin/sh\necho tool\n' }, { 'bin/tool.sh': 0o755 }));
  return zip;
}

const HANDLER = `
const fs = require('node:fs');
exports.handler = async () => ({
  greeting: require('greeting')('local'),
  versioned: require('versioned'),
  shared: require('/opt/nodejs/shared.js').shared,
  config: JSON.parse(fs.readFileSync('/opt/config.json', 'utf8')),
  configAsync: JSON.parse(await fs.promises.readFile('/opt/config.json', 'utf8')),
  onlyA: fs.existsSync('/opt/only-a.txt'),
  optListing: fs.readdirSync('/opt').sort(),
  toolMode: (fs.statSync('/opt/bin/tool.sh').mode & 0o777).toString(8),
  nodePath: process.env.NODE_PATH,
  taskRoot: process.env.LAMBDA_TASK_ROOT,
  node: Number(process.versions.node.split('.')[0]),
});
`;

function handlerAsset(): string {
  const dir = join(work, 'handler');
  file(join(dir, 'index.js'), HANDLER);
  return dir;
}

describe.each([
  ['nodejs20.x (a worker thread of the runner)', lambda.Runtime.NODEJS_20_X, 20],
  ['nodejs24.x (a child process on Node.js 24)', lambda.Runtime.NODEJS_24_X, 24],
])('a function with two layers on %s', (_name, runtime, major) => {
  test('requires packages from both node_modules folders, reads /opt merged in the listed order, NODE_PATH as Lambda sets it', async () => {
    probe = synthesizeProbe((stack) => {
      const a = new lambda.LayerVersion(stack, 'Greeting', { code: lambda.Code.fromAsset(layerA(major)) });
      const b = new lambda.LayerVersion(stack, 'Config', { code: lambda.Code.fromAsset(layerB()) });
      new lambda.Function(stack, 'Hello', { runtime, handler: 'index.handler', code: lambda.Code.fromAsset(handlerAsset()), layers: [a, b], timeout: Duration.seconds(10) });
    });
    const lines: string[] = [];
    const runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: (l) => lines.push(l), functionOutput: false });
    try {
      const result = await runner.invoke('Hello', {});
      expect(result.error).toBeUndefined();
      const payload = result.payload as Record<string, unknown>;
      const opt = runner.model.functions[0].optDirectory!;
      expect(payload).toEqual({
        greeting: 'hello local from layer A',
        versioned: `node${major} folder`,
        shared: 'shared from layer A',
        config: { from: 'B' },
        configAsync: { from: 'B' },
        onlyA: true,
        optListing: ['bin', 'config.json', 'nodejs', 'only-a.txt'],
        toolMode: '755',
        nodePath: `${opt}/nodejs/node${major}/node_modules:${opt}/nodejs/node_modules:${payload.taskRoot}`,
        taskRoot: runner.model.functions[0].codeDirectory,
        node: major,
      });
      expect(lines.join('\n')).not.toMatch(/not emulate/);
    } finally {
      await runner.close();
    }
  });
});

test('the layers listed in the other order: the zip first, the folder overwrites its config.json', async () => {
  probe = synthesizeProbe((stack) => {
    const a = new lambda.LayerVersion(stack, 'Greeting', { code: lambda.Code.fromAsset(layerA(20)) });
    const b = new lambda.LayerVersion(stack, 'Config', { code: lambda.Code.fromAsset(layerB()) });
    new lambda.Function(stack, 'Hello', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset(handlerAsset()), layers: [b, a] });
  });
  const runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, functionOutput: false });
  try {
    const result = await runner.invoke('Hello', {});
    expect((result.payload as { config: unknown }).config).toEqual({ from: 'A' });
  } finally {
    await runner.close();
  }
});

test('a layer of another account stops the start, naming the function and the ARN', async () => {
  const foreign = 'arn:aws:lambda:us-east-1:999999999999:layer:shared-utils:7';
  probe = synthesizeProbe((stack) => {
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Shared', foreign);
    new lambda.Function(stack, 'Hello', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset(handlerAsset()), layers: [layer] });
  });
  const start = startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined });
  await expect(start).rejects.toThrow(LocalRunnerError);
  await expect(start).rejects.toThrow(new RegExp(`Probe/Hello[0-9A-F]{8} \\(AWS::Lambda::Function\\): function Hello \\(Probe-Hello[^)]*\\): layer ${foreign.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not defined in this app`));
});

test('a function without layers gets NODE_PATH with its code directory only, and /opt is the machine\'s', async () => {
  probe = synthesizeProbe((stack) => {
    new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => process.env.NODE_PATH;') });
  });
  const runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, functionOutput: false });
  try {
    const result = await runner.invoke('Plain', {});
    expect(result.payload).toBe(runner.model.functions[0].codeDirectory);
    expect(runner.model.functions[0].optDirectory).toBeUndefined();
  } finally {
    await runner.close();
  }
});

test('an ES-module handler on nodejs24.x imports layer packages (both node_modules folders) and an /opt path', async () => {
  const code = join(work, 'esm');
  file(join(code, 'index.mjs'), [
    "import greeting from 'greeting';",
    "import versioned from 'versioned';",
    "import { shared } from '/opt/nodejs/shared.js';",
    "export const handler = async () => ({ greeting: greeting('esm'), versioned, shared });",
  ].join('\n'));
  probe = synthesizeProbe((stack) => {
    const a = new lambda.LayerVersion(stack, 'Greeting', { code: lambda.Code.fromAsset(layerA(24)) });
    new lambda.Function(stack, 'Esm', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(code), layers: [a] });
  });
  const runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, functionOutput: false });
  try {
    const result = await runner.invoke('Esm', {});
    expect(result.error).toBeUndefined();
    expect(result.payload).toEqual({ greeting: 'hello esm from layer A', versioned: 'node24 folder', shared: 'shared from layer A' });
  } finally {
    await runner.close();
  }
});
