import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { loadCloudAssembly } from '../../../lib/local/assembly/cloud-assembly';
import { buildAppModel } from '../../../lib/local/model/app-model';
import { startLocalRunner } from '../../../lib/local/runner';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

test('without the CDK CLI\'s asset metadata, function code is found through the asset manifest', async () => {
  const code = temp('local-code-');
  writeFileSync(join(code, 'index.js'), 'exports.handler = async (e) => ({ got: e.value, region: process.env.AWS_REGION, table: process.env.AWS_ENDPOINT_URL_DYNAMODB !== undefined });');
  const outdir = temp('local-assembly-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Plain');
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(code) });
  new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  app.synth();

  const assembly = loadCloudAssembly(outdir);
  const template = assembly.stacks[0].template.Resources!;
  expect(Object.values(template).some((r) => r.Metadata?.['aws:asset:path'])).toBe(false);
  const model = buildAppModel(assembly, assembly.stacks, { account: '123456789012', region: 'eu-central-1', scratchDirectory: temp('local-scratch-') });
  expect(model.unsupported).toEqual([]);
  expect(model.functions[0]).toMatchObject({ displayName: 'Fn', handlerName: 'handler', timeoutMs: 3000, memoryMb: 128, provisionedConcurrency: 0 });
  expect(model.functions[0].handlerPath).toMatch(/asset\.[0-9a-f]{64}\/index\.js$/);

  const runner = await startLocalRunner({ assembly: outdir, port: 0, region: 'eu-central-1', log: () => undefined });
  try {
    const result = await runner.invoke('Fn', { value: 7 }, 'live');
    expect(result.payload).toEqual({ got: 7, region: 'eu-central-1', table: true });
  } finally {
    await runner.close();
  }
});
