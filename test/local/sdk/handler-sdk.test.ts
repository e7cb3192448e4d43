import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { runnerCache } from '../../../lib/local/dependencies/runner-dependencies';
import { prepareHandlerSdk, sdkImportsOf } from '../../../lib/local/sdk/handler-sdk';
import { writeFile } from './support/files';

/*
 * Which SDK packages a bundle needs from the runtime. NodejsFunction bundles with esbuild and leaves
 * `@aws-sdk/*` external, as Lambda's Node.js runtimes include SDK v3:
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.BundlingOptions.html#externalmodules
 */
const SOURCE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromEnv } from '@aws-sdk/credential-providers/dist-cjs/fromEnv';
export const handler = async () => {
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  return [DynamoDBDocumentClient.from(new DynamoDBClient({})), fromEnv, NodeHttpHandler, 'not "@aws-sdk/in-a-string"'];
};
`;

let work: string;
beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'handler-sdk-')); });
afterAll(() => rmSync(work, { recursive: true, force: true }));

function bundle(folder: string, format: 'cjs' | 'esm', minify: boolean): string {
  const outfile = join(work, folder, format === 'esm' ? 'index.mjs' : 'index.js');
  buildSync({ stdin: { contents: SOURCE, loader: 'js' }, bundle: true, platform: 'node', format, minify, external: ['@aws-sdk/*', '@smithy/*'], outfile, logLevel: 'error' });
  return outfile;
}

test.each([
  ['cjs', false], ['cjs', true], ['esm', false], ['esm', true],
] as const)('the SDK packages an esbuild %s bundle (minified: %s) imports, static and dynamic', (format, minify) => {
  bundle(`${format}-${minify}`, format, minify);
  expect([...sdkImportsOf(join(work, `${format}-${minify}`))].sort()).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/credential-providers', '@aws-sdk/lib-dynamodb', '@smithy/node-http-handler']);
});

test('packages inside the asset\'s own node_modules are not read', () => {
  writeFile(join(work, 'with-modules', 'index.js'), 'exports.handler = async () => 1;');
  writeFile(join(work, 'with-modules', 'node_modules', 'dep', 'index.js'), "require('@aws-sdk/client-s3');");
  expect([...sdkImportsOf(join(work, 'with-modules'))]).toEqual([]);
});

test('what the library\'s own node_modules (the app\'s copy) holds is not installed; nothing is logged', () => {
  const handlerPath = writeFile(join(work, 'only-dynamodb', 'index.js'), "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb'); exports.handler = async () => typeof DynamoDBClient;");
  const logged: string[] = [];
  const saved = process.env.CDK_RESILIENT_SERVERLESS_CACHE;
  process.env.CDK_RESILIENT_SERVERLESS_CACHE = join(work, 'cache-unused');
  try {
    prepareHandlerSdk([{ displayName: 'Only', handlerPath }], (line) => logged.push(line));
  } finally {
    process.env.CDK_RESILIENT_SERVERLESS_CACHE = saved;
  }
  expect(logged).toEqual([]);
});

test('offline: a package nobody has is announced, then one warning names it and the command; the start goes on', () => {
  const handlerPath = bundle('offline', 'cjs', true);
  const logged: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, { CDK_RESILIENT_SERVERLESS_CACHE: join(work, 'cache'), npm_config_registry: 'http://127.0.0.1:9', npm_config_cache: join(work, 'npm-cache') });
  try {
    prepareHandlerSdk([{ displayName: 'Api/Items', handlerPath }], (line) => logged.push(line));
  } finally {
    process.env = saved;
  }
  const cache = runnerCache.cacheDirectory({ CDK_RESILIENT_SERVERLESS_CACHE: join(work, 'cache') });
  // Neither @smithy/node-http-handler nor @aws-sdk/lib-dynamodb is among them: the library's node_modules holds
  // both here (a dependency of its DynamoDB client; a devDependency for the user-shaped apps of test/local/apps).
  const missing = ['@aws-sdk/credential-providers'];
  expect(logged).toHaveLength(2);
  expect(logged[0]).toBe(`Installing ${missing.map((n) => `${n}@${runnerCache.SDK_VERSION}`).join(', ')} into ${cache} (imported by Api/Items; Lambda's Node.js runtime provides the AWS SDK); this happens once.`);
  expect(logged[1]).toMatch(/^warning: Cannot install .* ECONNREFUSED/);
  expect(logged[1]).toContain(`run: ${runnerCache.packagesCommand(cache, missing)}`);
});
