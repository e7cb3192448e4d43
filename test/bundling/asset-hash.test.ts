import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Charset, LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { bundleInProcess, InProcessBundling, InProcessBundlingProps, withInProcessBundling } from '../../lib/bundling';
import { functionAssets, LOCK_FILE, makeScratchDir, newTestApp, PROJECT_ROOT, readTree } from './synth-helpers';

let scratch: string;
let synthCount = 0;
beforeAll(() => { scratch = makeScratchDir('asset-hash'); });
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * Synthesizes one in-process function into a fresh cdk.out (CDK caches staged assets per process and
 * output directory, so a fresh one makes every synth really bundle) and returns its asset.
 */
function synthOne(props: InProcessBundlingProps): { dir: string; s3Key: string } {
  const app = newTestApp(path.join(scratch, `out-${synthCount++}`));
  const stack = new Stack(app, 'Hash');
  new NodejsFunction(stack, 'Fn', withInProcessBundling(stack, props));
  return functionAssets(app, 'Hash').Fn;
}

function handlerProps(source: string, extra: Partial<InProcessBundlingProps> = {}): InProcessBundlingProps {
  const entry = path.join(scratch, 'handler.ts');
  fs.writeFileSync(entry, source);
  return { entry, runtime: lambda.Runtime.NODEJS_24_X, depsLockFilePath: LOCK_FILE, projectRoot: PROJECT_ROOT, ...extra };
}

describe('asset hash comes from the bundle output', () => {
  const original = 'export const handler = async () => ({ answer: 42 });\n';

  test('unchanged sources give the same asset', () => {
    expect(synthOne(handlerProps(original)).s3Key).toBe(synthOne(handlerProps(original)).s3Key);
  });

  test('a comment-only edit does not change the bundle, so not the asset either', () => {
    const edited = `// a comment esbuild drops\n${original}`;
    expect(synthOne(handlerProps(edited)).s3Key).toBe(synthOne(handlerProps(original)).s3Key);
  });

  test('a changed handler gives a new asset', () => {
    const before = synthOne(handlerProps(original));
    const after = synthOne(handlerProps(original.replace('42', '43')));
    expect(after.s3Key).not.toBe(before.s3Key);
    expect(readTree(after.dir)['index.js']).toContain('answer: 43');
  });

  test('a bundling option that changes the output gives a new asset', () => {
    const plain = synthOne(handlerProps(original));
    const minified = synthOne(handlerProps(original, { bundling: { minify: true } }));
    expect(minified.s3Key).not.toBe(plain.s3Key);
  });

  test('bundling.assetHash replaces the output hash', () => {
    const asset = synthOne(handlerProps(original, { bundling: { assetHash: 'release-2026-11-26' } }));
    expect(asset.s3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(asset.s3Key).toBe(synthOne(handlerProps(original.replace('42', '44'), { bundling: { assetHash: 'release-2026-11-26' } })).s3Key);
  });
});

describe('charset', () => {
  const source = "export const handler = async () => '日本語';\n";

  test('defaults to esbuild\'s ASCII escapes, as NodejsFunction produces', () => {
    expect(readTree(synthOne(handlerProps(source)).dir)['index.js']).toContain('\\u65E5\\u672C\\u8A9E');
  });

  // aws-cdk-lib 2.276 documents bundling.charset but never passes it to esbuild (aws/aws-cdk#32649);
  // the in-process bundler honours it.
  test('Charset.UTF8 keeps the characters', () => {
    expect(readTree(synthOne(handlerProps(source, { bundling: { charset: Charset.UTF8 } })).dir)['index.js']).toContain('日本語');
  });
});

describe('bundle result', () => {
  test('the handler defaults to index.handler and keeps a dotted handler as is', () => {
    const stack = new Stack(newTestApp(path.join(scratch, 'handlers')), 'Handlers');
    expect(bundleInProcess(stack, handlerProps('export const handler = 1;\n'))?.handler).toBe('index.handler');
    expect(bundleInProcess(stack, handlerProps('export const main = 1;\n', { handler: 'main' }))?.handler).toBe('index.main');
    expect(bundleInProcess(stack, handlerProps('export const main = 1;\n', { handler: 'lib/app.main' }))?.handler).toBe('lib/app.main');
  });

  test('esbuild warnings reach stderr, named by construct; logLevel error silences them', () => {
    const source = 'export const handler = async () => ({ a: 1, a: 2 });\n';
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      synthOne(handlerProps(source));
      synthOne(handlerProps(source.replace('2', '3'), { bundling: { logLevel: LogLevel.ERROR } }));
    } finally {
      spy.mockRestore();
    }
    const warnings = writes.filter((w) => w.includes('esbuild warnings'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Hash: esbuild warnings');
    expect(warnings[0]).toContain('Duplicate key "a"');
  });
});

describe('NodejsFunction behaviour kept', () => {
  test('NODEJS_LATEST bundles the AWS SDK by default and warns about any externals, as NodejsFunction does', () => {
    const stack = new Stack(newTestApp(path.join(scratch, 'latest')), 'Latest');
    const source = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async () => typeof DynamoDBClient;\n";
    const latest = handlerProps(source, { runtime: lambda.Runtime.NODEJS_LATEST });
    new NodejsFunction(stack, 'Bundled', InProcessBundling.nodejsFunctionProps(stack, latest));
    new NodejsFunction(stack, 'External', InProcessBundling.nodejsFunctionProps(stack, { ...latest, bundling: { externalModules: ['pg'] } }));
    const assets = functionAssets(stack.node.root as App, 'Latest');
    expect(readTree(assets.Bundled.dir)['index.js']).not.toContain('require("@aws-sdk/client-dynamodb")');
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('variableRuntimeExternals'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/\(pg\)/);
  });

  test('NODE_PATH resolves imports, as it does for the esbuild CLI NodejsFunction runs', () => {
    const nodePath = path.join(scratch, 'node-path');
    fs.mkdirSync(path.join(nodePath, 'only-on-node-path'), { recursive: true });
    fs.writeFileSync(path.join(nodePath, 'only-on-node-path', 'index.js'), "module.exports = 'found via NODE_PATH';\n");
    const props = handlerProps("import found from 'only-on-node-path';\nexport const handler = async () => found;\n");
    const previous = process.env.NODE_PATH;
    process.env.NODE_PATH = nodePath;
    try {
      expect(readTree(synthOne(props).dir)['index.js']).toContain('found via NODE_PATH');
    } finally {
      if (previous === undefined) delete process.env.NODE_PATH;
      else process.env.NODE_PATH = previous;
    }
  });

  test('InProcessBundling lists its fallbacks', () => {
    expect(InProcessBundling.FALLBACKS.map((f) => f.option)).toEqual(expect.arrayContaining(['bundling.nodeModules', 'bundling.commandHooks', 'bundling.preCompilation']));
  });
});
