import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionPool } from '../../../lib/local';
import { runnerCache } from '../../../lib/local/dependencies/runner-dependencies';
import { fakePackage, writeFile } from './support/files';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { node24Path } = require('../../node24/interpreter') as { node24Path(): string | undefined };

/*
 * Handlers' SDK imports inside execution environments. Lambda's Node.js runtimes include AWS SDK v3, so a
 * bundle that leaves `@aws-sdk/*` external loads it from the runtime:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included
 * The handlers live in a temporary folder outside this repository, so their own resolution finds nothing and
 * only the runner's resolution (beside the library, then the runner's cache) can.
 */
let work: string;
let cacheRoot: string;
const pools: FunctionPool[] = [];
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sdk-resolution-'));
  cacheRoot = join(work, 'cache');
  // A package only the runner's cache holds (a stand-in for one the runner installed at start-up).
  fakePackage(join(runnerCache.cacheDirectory({ CDK_RESILIENT_SERVERLESS_CACHE: cacheRoot }), 'node_modules'), '@smithy/cache-only-probe', 'from the cache');
  // A copy of the DynamoDB client in the cache that the library's own (this repository's) must win over.
  fakePackage(join(runnerCache.cacheDirectory({ CDK_RESILIENT_SERVERLESS_CACHE: cacheRoot }), 'node_modules'), '@aws-sdk/client-dynamodb', 'stale cache copy');
});
afterAll(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  rmSync(work, { recursive: true, force: true });
});

async function invoke(handlerPath: string): Promise<{ payload?: unknown; error?: { errorType: string; errorMessage: string } }> {
  const pool = new FunctionPool({ functionName: 'sdk-probe', handlerPath, onLog: () => undefined, environment: { CDK_RESILIENT_SERVERLESS_CACHE: cacheRoot } });
  pools.push(pool);
  return (await pool.invoke({})) as { payload?: unknown; error?: { errorType: string; errorMessage: string } };
}

// The handler answers the probe of a fake package, or the type of the real client's DynamoDBClient export.
const ANSWER = 'const m = sdk.default ?? sdk; return m.probe ?? typeof m.DynamoDBClient;';
const cjs = (folder: string, specifier: string) => writeFile(join(work, folder, 'index.js'), `const sdk = require('${specifier}');\nexports.handler = async () => { ${ANSWER} };\n`);
const esm = (folder: string, specifier: string) => writeFile(join(work, folder, 'index.mjs'), `import * as sdk from '${specifier}';\nexport const handler = async () => { ${ANSWER} };\n`);

describe.each([
  ['CommonJS require', cjs, 'cjs'],
  ['ES module import (.mjs)', esm, 'esm'],
])('%s of the SDK in an execution environment', (_kind, write, kind) => {
  test('a package the bundle left out resolves beside the library (the app\'s copy) before the cache', async () => {
    const result = await invoke(write(`${kind}-client`, '@aws-sdk/client-dynamodb'));
    expect(result.payload).toBe('function');
  });

  test('a package only the runner\'s cache holds resolves from the cache', async () => {
    const result = await invoke(write(`${kind}-cache`, '@smithy/cache-only-probe'));
    expect(result.payload).toBe('from the cache');
  });

  test('the handler\'s own copy (in its asset) wins over the library\'s and the cache\'s', async () => {
    fakePackage(join(work, `${kind}-own`, 'node_modules'), '@aws-sdk/client-dynamodb', 'bundled with the asset');
    const result = await invoke(write(`${kind}-own`, '@aws-sdk/client-dynamodb'));
    expect(result.payload).toBe('bundled with the asset');
  });

  test('a package nobody has fails INIT with Runtime.ImportModuleError naming the package and the command', async () => {
    const result = await invoke(write(`${kind}-missing`, '@aws-sdk/client-not-a-service'));
    const cache = runnerCache.cacheDirectory({ CDK_RESILIENT_SERVERLESS_CACHE: cacheRoot });
    expect(result.error?.errorType).toBe('Runtime.ImportModuleError');
    expect(result.error?.errorMessage).toContain("Cannot find module '@aws-sdk/client-not-a-service'");
    expect(result.error?.errorMessage).toContain(`Run: npm install --prefix ${cache} --save-exact @aws-sdk/client-not-a-service@${runnerCache.SDK_VERSION}`);
  });

  test('other missing packages keep Node\'s own error', async () => {
    const result = await invoke(write(`${kind}-other`, 'left-pad-not-installed'));
    expect(result.error?.errorType).toBe('Runtime.ImportModuleError');
    expect(result.error?.errorMessage).toContain('left-pad-not-installed');
    expect(result.error?.errorMessage).not.toContain('Run: npm');
  });
});

describe('outside a worker thread', () => {
  const SCRIPT = join(__dirname, '..', '..', '..', 'lib', 'local', 'sdk', 'sdk-resolution.cjs');
  // A child process on the host's Node and, where installed (npm run node24:install), on Node 24.
  const nodes = [['host', process.execPath], ...(node24Path() ? [['24', node24Path()!]] : [])];

  test.each(nodes)('a child process on Node %s resolves require and import from the cache after installing it', (_name, node) => {
    // An ES-module handler (on Node 20 only those get the loader-thread hook), requiring and importing.
    const handler = writeFile(join(work, 'child', 'main.mjs'), [
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      `require(${JSON.stringify(SCRIPT)}).installSdkResolution({ handlerPath: import.meta.filename ?? new URL(import.meta.url).pathname });`,
      "const fromRequire = require('@smithy/cache-only-probe').probe;",
      "const imported = await import('@smithy/cache-only-probe');",
      'console.log(JSON.stringify([fromRequire, (imported.default ?? imported).probe]));',
    ].join('\n'));
    const run = spawnSync(node, [handler], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH, CDK_RESILIENT_SERVERLESS_CACHE: cacheRoot } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['from the cache', 'from the cache']);
  });
});

test('which handlers Node loads as ES modules: .mjs, and .js under a "type": "module" package.json', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isEsModuleHandler } = require('../../../lib/local/sdk/sdk-resolution.cjs') as { isEsModuleHandler: (path: string) => boolean };
  writeFile(join(work, 'typed', 'module', 'package.json'), JSON.stringify({ type: 'module' }));
  writeFile(join(work, 'typed', 'commonjs', 'package.json'), JSON.stringify({ type: 'commonjs' }));
  expect(isEsModuleHandler(join(work, 'typed', 'module', 'sub', 'index.js'))).toBe(true);
  expect(isEsModuleHandler(join(work, 'typed', 'module', 'index.cjs'))).toBe(false);
  expect(isEsModuleHandler(join(work, 'typed', 'commonjs', 'index.js'))).toBe(false);
  expect(isEsModuleHandler(join(work, 'typed', 'commonjs', 'index.mjs'))).toBe(true);
});
