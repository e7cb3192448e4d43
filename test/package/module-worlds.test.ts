import { execFile, execFileSync } from 'child_process';
import { promisify } from 'util';
import * as fs from 'fs';
import * as path from 'path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynalite, type LocalDynamo } from '../support/dynalite';
import { createPackedApp, PackedApp } from './support/packed-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { node24Path } = require('../node24/interpreter') as { node24Path(): string | undefined };

/*
 * `/runtime` in every module world a user has, from the packed tarball: plain `require`, Node ESM
 * `import`, and the handler bundles a ResilientFunction builds (esbuild `cjs`, `OutputFormat.ESM`, an
 * `.mjs` entry). Each world runs the same handler: a circuit breaker that must reach DynamoDB (dynalite)
 * to open. It fails closed, so a breaker that cannot load the SDK rejects with reason `store` instead of
 * silently admitting everything. Each world runs on this Node and on Node 24 (Lambda's nodejs24.x).
 */

// The same handler body in every world; only the import line differs.
const HANDLER_BODY = `
export const handler = async () => {
  const breaker = new CircuitBreaker({
    name: 'downstream', minimumCalls: 3, failureRateThreshold: 50, flushAfterFailures: 1,
    refreshMs: 0, onStoreFailure: 'fail-closed', metrics: false,
  });
  const outcomes = [];
  for (let i = 0; i < 5; i++) {
    try {
      await breaker.execute(async () => { throw new Error('down'); });
    } catch (e) {
      outcomes.push(e instanceof CircuitOpenError ? 'rejected:' + e.reason : 'failed:' + e.message);
    }
  }
  return outcomes;
};
`;
const ESM_IMPORT = "import { CircuitBreaker, CircuitOpenError } from 'cdk-resilient-serverless/runtime';";
const CJS_BODY = HANDLER_BODY.replace('export const handler =', 'exports.handler =');

const INVOKE = `
import { pathToFileURL } from 'node:url';
const mod = await import(pathToFileURL(process.argv[2]).href);
const handler = mod.handler ?? mod.default?.handler;
console.log(JSON.stringify(await handler({}, {})));
`;

const APP = `
const fs = require('fs');
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const { OutputFormat } = require('aws-cdk-lib/aws-lambda-nodejs');
const { ResilientFunction } = require('cdk-resilient-serverless');
const app = new App({ outdir: path.join(__dirname, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
const stack = new Stack(app, 'Worlds');
const functions = {
  'esbuild cjs bundle': new ResilientFunction(stack, 'Cjs', { entry: path.join(__dirname, 'src/handler.ts') }),
  'esbuild esm bundle': new ResilientFunction(stack, 'Esm', { entry: path.join(__dirname, 'src/handler.ts'), bundling: { format: OutputFormat.ESM } }),
  '.mjs handler entry': new ResilientFunction(stack, 'Mjs', { entry: path.join(__dirname, 'src/handler.mjs'), bundling: { format: OutputFormat.ESM } }),
};
const assembly = app.synth();
const template = assembly.getStackByName('Worlds').template;
const bundles = {};
for (const [world, fn] of Object.entries(functions)) {
  const resource = template.Resources[stack.getLogicalId(fn.function.node.defaultChild)];
  const dir = path.join(assembly.directory, resource.Metadata['aws:asset:path']);
  const [file] = resource.Properties.Handler.split('.');
  bundles[world] = fs.readdirSync(dir).map((f) => path.join(dir, f)).find((f) => path.basename(f).split('.')[0] === file && !f.endsWith('.map'));
}
console.log(JSON.stringify(bundles));
`;

describe('/runtime reaches DynamoDB in every module world, from the packed package', () => {
  let packed: PackedApp;
  let dynamo: LocalDynamo;
  const worlds: Record<string, string> = {};
  const interpreters = [...new Set([process.execPath, node24Path()].filter((p): p is string => p !== undefined))]
    .map((binary) => ({ binary, version: execFileSync(binary, ['--version'], { encoding: 'utf-8' }).trim() }));

  beforeAll(async () => {
    if (!interpreters.some((i) => i.version.startsWith('v24.'))) {
      console.warn('module worlds: Node 24 is not installed (npm run node24:install); running on this Node only.');
    }
    packed = createPackedApp(['aws-cdk-lib', 'constructs', 'esbuild', '@esbuild', '@aws-sdk', '@smithy']);
    dynamo = await startDynalite();
    worlds['require (CommonJS)'] = packed.write('worlds/require.cjs', `const { CircuitBreaker, CircuitOpenError } = require('cdk-resilient-serverless/runtime');\n${CJS_BODY}`);
    worlds['import (Node ESM)'] = packed.write('worlds/import.mjs', `${ESM_IMPORT}\n${HANDLER_BODY}`);
    packed.write('src/handler.ts', `${ESM_IMPORT}\n${HANDLER_BODY.replace('(e)', '(e: any)').replace('const outcomes = []', 'const outcomes: string[] = []')}`);
    packed.write('src/handler.mjs', `${ESM_IMPORT}\n${HANDLER_BODY}`);
    packed.write('invoke.mjs', INVOKE);
    packed.write('app.js', APP);
    const bundles = JSON.parse(execFileSync(process.execPath, ['app.js'], { cwd: packed.dir, encoding: 'utf-8' }).trim().split('\n').pop()!);
    Object.assign(worlds, bundles);
  });
  afterAll(async () => {
    await dynamo?.stop();
    packed?.remove();
  });

  test('ResilientFunction built the bundles in the format asked for', () => {
    expect(path.extname(worlds['esbuild cjs bundle'])).toBe('.js');
    expect(path.extname(worlds['esbuild esm bundle'])).toBe('.mjs');
    expect(path.extname(worlds['.mjs handler entry'])).toBe('.mjs');
    // The breaker is bundled (tree-shaken from the ES-module build), the SDK is left to the runtime.
    for (const world of ['esbuild cjs bundle', 'esbuild esm bundle', '.mjs handler entry']) {
      const code = fs.readFileSync(worlds[world], 'utf-8');
      expect(code).toContain('@aws-sdk/client-dynamodb');
      expect(code).not.toContain('DynamoDBClient.prototype');
    }
  });

  const cases = ['require (CommonJS)', 'import (Node ESM)', 'esbuild cjs bundle', 'esbuild esm bundle', '.mjs handler entry']
    .flatMap((world) => interpreters.map((node) => [world, node.version, node.binary] as const));

  test.each(cases)('%s on Node %s: the breaker counts failures in DynamoDB and opens the shared circuit', async (world, _version, node) => {
    const table = await dynamo.createBreakerTable();
    // Asynchronously: dynalite answers from this process.
    const { stdout } = await promisify(execFile)(node, ['invoke.mjs', worlds[world]], {
      cwd: packed.dir,
      encoding: 'utf-8',
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        RESILIENT_BREAKER_TABLE: table,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    const outcomes = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(outcomes).toEqual(['failed:down', 'failed:down', 'failed:down', 'rejected:open', 'rejected:open']);
    const item = await dynamo.client().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'downstream' } }, ConsistentRead: true }));
    expect(item.Item?.st).toEqual({ S: 'OPEN' });
  });
});
