import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createPackedApp, PackedApp, ROOT } from './support/packed-app';

/*
 * Synthesizes a fresh CDK app that uses only the packed files (see support/packed-app.ts).
 */
describe('npm pack output works in a fresh CDK app', () => {
  let packed: PackedApp;
  let app: string;
  let packedFiles: string[] = [];
  afterAll(() => packed?.remove());

  beforeAll(() => {
    packed = createPackedApp(['aws-cdk-lib', 'constructs', 'esbuild', '@esbuild', '@aws-sdk', '@smithy', 'dynalite', '@types', 'undici-types']);
    app = packed.dir;
    packedFiles = packed.packedFiles;
    fs.writeFileSync(path.join(app, 'handler.ts'), 'export const handler = async () => ({ statusCode: 200, body: "hi" });\n');
    fs.writeFileSync(path.join(app, 'run-local.js'), `
      const { startLocalRunner } = require('cdk-resilient-serverless/local');
      (async () => {
        const runner = await startLocalRunner({ assembly: require('path').join(__dirname, 'cdk.out'), port: 0, log: () => {}, functionOutput: false });
        const response = await fetch(runner.apis[0].url + '/hi');
        console.log(response.status + ' ' + await response.text());
        await runner.close();
      })().catch((e) => { console.error(e); process.exit(1); });
    `);
    fs.writeFileSync(path.join(app, 'app.js'), `
      const path = require('path');
      const { App, Stack } = require('aws-cdk-lib');
      const { ResilientFunction, ProvisionedConcurrency, ResilientHttpApi, RouteAuth } = require('cdk-resilient-serverless');
      const { normalizeTemplate } = require('cdk-resilient-serverless/testing');
      const app = new App({ outdir: path.join(__dirname, 'cdk.out') });
      const stack = new Stack(app, 'Consumer');
      const fn = new ResilientFunction(stack, 'Api', { entry: path.join(__dirname, 'handler.ts'), provisionedConcurrency: ProvisionedConcurrency.fixed(2) });
      new ResilientHttpApi(stack, 'Http').addRoute('GET', '/hi', fn, { auth: RouteAuth.none() });
      const template = app.synth().getStackByName('Consumer').template;
      console.log(JSON.stringify(normalizeTemplate(template)));
    `);
  });

  test('the package ships compiled code, types, the jsii assembly and docs, not TypeScript sources or tests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', '.jsii', 'API.md', 'README.md', 'package.json']));
    expect(packedFiles.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(packedFiles.filter((f) => f.startsWith('test/') || f.startsWith('bench/'))).toEqual([]);
  });

  test('the packed package.json and jsii assembly carry what Construct Hub lists a construct library by', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk-resilient-serverless', 'package.json'), 'utf-8'));
    expect(manifest.keywords).toEqual(expect.arrayContaining(['awscdk']));
    expect(manifest).toEqual(expect.objectContaining({ stability: 'experimental', license: 'Apache-2.0' }));
    for (const field of ['description', 'homepage', 'repository']) expect(manifest[field]).toBeTruthy();
    const assembly = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk-resilient-serverless', '.jsii'), 'utf-8'));
    expect(assembly).toEqual(expect.objectContaining({ docs: expect.objectContaining({ stability: 'experimental' }), homepage: manifest.homepage, keywords: expect.arrayContaining(['awscdk']) }));
  });

  test("the README's handler compiles in the consumer as a CDK app's tsconfig has it (strict, declaration: true)", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    const handler = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((block) => block.includes('withResilience(async'))!;
    fs.writeFileSync(path.join(app, 'checkout.ts'), `${handler}\ndeclare function charge(event: unknown, signal: AbortSignal): Promise<{ statusCode: number; body: string }>;\n`);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, declaration: true, outDir: 'out', module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'] },
      files: ['checkout.ts'],
    }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', app], { encoding: 'utf-8' });
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  test('a consumer synthesizes a ResilientFunction using only the packed files', () => {
    const out = execFileSync(process.execPath, ['app.js'], { cwd: app, encoding: 'utf-8', env: { ...process.env, CDK_VALIDATION: 'false' } });
    const template = JSON.parse(out.trim().split('\n').pop()!);
    const types = Object.values<any>(template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::CloudWatch::Alarm']));
    const alias = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Alias');
    expect(alias.Properties.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 2 });
    expect(fs.readdirSync(path.join(app, 'cdk.out')).some((f) => f.startsWith('asset.'))).toBe(true);
  });

  test('the packed local runner serves the synthesized app (its worker and handlers ship in dist/)', () => {
    const out = execFileSync(process.execPath, ['run-local.js'], { cwd: app, encoding: 'utf-8' });
    expect(out.trim().split('\n').pop()).toBe('200 hi');
  });
});
