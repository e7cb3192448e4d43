import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, NodejsFunctionProps, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { withInProcessBundling } from '../../lib/bundling';
import { FIXTURES, functionAssets, invokeHandler, LOCK_FILE, makeScratchDir, newTestApp, PROJECT_ROOT, readTree } from './synth-helpers';

/**
 * Each case is built twice in one stack — by NodejsFunction (`npx esbuild …`) and in-process — and the
 * asset directories are compared byte for byte. Both land in the same cdk.out, so the relative source
 * paths inside source maps match without normalisation; only the metafile case needs it (see below).
 */
interface Case {
  readonly name: string;
  readonly props: NodejsFunctionProps;
  readonly event: unknown;
  readonly expected: unknown;
  readonly files: string[];
}

const common = { runtime: lambda.Runtime.NODEJS_24_X, depsLockFilePath: LOCK_FILE, projectRoot: PROJECT_ROOT };

const CASES: Case[] = [
  {
    name: 'TypeScriptWithDependency',
    props: {
      ...common,
      entry: path.join(FIXTURES, 'typescript-with-dependency.ts'),
      bundling: { define: { BUILD_STAGE: JSON.stringify('prod') } },
    },
    event: { value: 21 },
    expected: { doubled: 42, stage: 'prod', sdkClient: 'function' },
    files: ['index.js'],
  },
  {
    name: 'EsmTopLevelAwait',
    props: {
      ...common,
      entry: path.join(FIXTURES, 'esm-top-level-await.mts'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url); globalThis.bannerRan = true;",
        mainFields: ['module', 'main'],
      },
    },
    event: {},
    expected: { region: 'eu-west-1', bannerRan: true, hasRequire: true },
    files: ['index.mjs'],
  },
  {
    name: 'MinifiedWithSourceMap',
    props: {
      ...common,
      entry: path.join(FIXTURES, 'minified-with-source-map.ts'),
      bundling: { minify: true, sourceMap: true, keepNames: true },
    },
    event: { name: 'Ada' },
    expected: { text: 'Hello, Ada', className: 'Greeter' },
    files: ['index.js', 'index.js.map'],
  },
  {
    name: 'BothSourceMapsWithoutSources',
    props: {
      ...common,
      entry: path.join(FIXTURES, 'minified-with-source-map.ts'),
      handler: 'handler',
      bundling: { sourceMapMode: SourceMapMode.BOTH, sourcesContent: false, target: 'es2022' },
    },
    event: { name: 'Grace' },
    expected: { text: 'Hello, Grace', className: 'Greeter' },
    files: ['index.js', 'index.js.map'],
  },
  {
    name: 'LoadersAndExternals',
    props: {
      ...common,
      entry: path.join(FIXTURES, 'loaders-and-externals.ts'),
      bundling: {
        externalModules: ['opossum', '@aws-sdk/*'],
        loader: { '.txt': 'text' },
        inject: [path.join(FIXTURES, 'inject-shim.ts')],
        logLevel: undefined,
      },
    },
    event: {},
    expected: { greeting: 'Greetings from a text file', injectedTag: 'injected-by-esbuild', breakerIsFunction: true },
    files: ['index.js'],
  },
  {
    name: 'TsconfigMetafileEsbuildArgs',
    props: {
      ...common,
      entry: path.join(FIXTURES, 'tsconfig-paths.mts'),
      bundling: {
        tsconfig: path.join(FIXTURES, 'tsconfig-paths.json'),
        metafile: true,
        footer: '// built for the equivalence test',
        esbuildArgs: { '--legal-comments': 'eof', '--drop': 'debugger', '--pure': 'console.debug', '--tree-shaking': 'true', '--minify-syntax': true, '--drop-labels': 'DEV' },
      },
    },
    event: {},
    expected: { greeting: 'resolved through tsconfig paths' },
    files: ['index.js', 'index.meta.json'],
  },
];

// The metafile names the output by its path under cdk.out, which includes CDK's temporary bundling
// directory `bundling-temp-<cache key>-building`; the cache key differs between the two builders.
const normaliseTempDir = (text: string) => text.replace(/bundling-temp-[0-9a-f]{64}-building/g, 'bundling-temp-<key>-building');

describe('in-process bundle equals NodejsFunction bundle', () => {
  let scratch: string;
  let assets: ReturnType<typeof functionAssets>;
  const inProcessCode = new Map<string, boolean>();

  beforeAll(() => {
    scratch = makeScratchDir('equivalence');
    const app = newTestApp(scratch);
    const stack = new Stack(app, 'Equivalence');
    for (const c of CASES) {
      new NodejsFunction(stack, `Nodejs${c.name}`, c.props);
      const props = withInProcessBundling(stack, c.props);
      inProcessCode.set(c.name, props.code !== undefined);
      new NodejsFunction(stack, `InProcess${c.name}`, props);
    }
    assets = functionAssets(app, 'Equivalence');
  });

  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  describe.each(CASES)('$name', (c) => {
    test('is bundled in-process', () => {
      expect(inProcessCode.get(c.name)).toBe(true);
    });

    test('writes the same files with the same bytes', () => {
      const nodejs = readTree(assets[`Nodejs${c.name}`].dir);
      const inProcess = readTree(assets[`InProcess${c.name}`].dir);
      expect(Object.keys(inProcess).sort()).toEqual([...c.files].sort());
      if (c.props.bundling?.metafile) {
        expect(Object.keys(inProcess).sort()).toEqual(Object.keys(nodejs).sort());
        for (const file of Object.keys(nodejs)) expect(normaliseTempDir(inProcess[file])).toBe(normaliseTempDir(nodejs[file]));
      } else {
        expect(inProcess).toEqual(nodejs);
        // Same bytes, same asset hash: swapping builders re-uploads nothing and creates no new Version.
        expect(assets[`InProcess${c.name}`].s3Key).toBe(assets[`Nodejs${c.name}`].s3Key);
      }
    });

    test('runs and returns the expected result', () => {
      const file = path.join(assets[`InProcess${c.name}`].dir, c.files[0]);
      expect(invokeHandler(file, 'handler', c.event)).toEqual(c.expected);
      const nodejsFile = path.join(assets[`Nodejs${c.name}`].dir, c.files[0]);
      expect(invokeHandler(nodejsFile, 'handler', c.event)).toEqual(c.expected);
    });
  });

  test('options reach the bundle', () => {
    const source = (name: string, file: string) => fs.readFileSync(path.join(assets[`InProcess${name}`].dir, file), 'utf-8');
    expect(source('TypeScriptWithDependency', 'index.js')).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
    expect(source('TypeScriptWithDependency', 'index.js')).toContain('"prod"');
    expect(source('EsmTopLevelAwait', 'index.mjs')).toMatch(/^import \{ createRequire \}/);
    expect(source('EsmTopLevelAwait', 'index.mjs')).toMatch(/await Promise\.resolve/);
    expect(source('MinifiedWithSourceMap', 'index.js')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    expect(source('BothSourceMapsWithoutSources', 'index.js')).toMatch(/sourceMappingURL=data:application\/json;base64,/);
    expect(JSON.parse(source('BothSourceMapsWithoutSources', 'index.js.map')).sourcesContent).toBeUndefined();
    expect(source('LoadersAndExternals', 'index.js')).toMatch(/require\("opossum"\)/);
    const tsconfigPaths = source('TsconfigMetafileEsbuildArgs', 'index.js');
    expect(tsconfigPaths).not.toContain('debugger');
    expect(tsconfigPaths).not.toContain('console.debug');
    expect(tsconfigPaths).not.toContain('drop-labels');
    expect(tsconfigPaths).toMatch(/\/\/ built for the equivalence test\s*$/);
    expect(tsconfigPaths).toContain('Fixture licence comment');
  });
});
