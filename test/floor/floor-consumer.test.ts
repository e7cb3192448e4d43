import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { devDependency, peerFloor, ROOT } from './versions';

/*
 * A consumer on the oldest aws-cdk-lib the peer range accepts: a fresh app pins aws-cdk-lib exactly at the
 * floor and installs the packed library from the registry with a plain `npm install` (no
 * --legacy-peer-deps, no --force), so npm itself must find the floor inside the published peer range.
 * Runs in `npm test` (test/floor/jest.config.js leaves it out of the floor run: it installs its own floor).
 * Needs dist/ (`npm run build`) and the npm registry.
 */
const FLOOR = peerFloor();

/** The environment minus npm settings an outer `npm test --force` or `--legacy-peer-deps` would pass down. */
function plainNpmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_VALIDATION: 'false', CDK_DISABLE_CLI_TELEMETRY: '1' };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(legacy_peer_deps|force|strict_peer_deps)$/i.test(key)) delete env[key];
  }
  return env;
}

describe(`a consumer on the floor aws-cdk-lib ${FLOOR} installs the packed library with a plain npm install`, () => {
  let work: string;
  let app: string;
  let install: { status: number | null; output: string };
  afterAll(() => work && fs.rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'floor-consumer-'));
    app = path.join(work, 'app');
    fs.mkdirSync(app);
    const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf-8' }));
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
      name: 'floor-consumer',
      version: '1.0.0',
      private: true,
      dependencies: {
        'aws-cdk-lib': FLOOR,
        'constructs': '^10',
        'esbuild': devDependency('esbuild'),
        'cdk-resilient-serverless': `file:${path.join(work, filename)}`,
      },
    }, undefined, 2));
    const run = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf-8', env: plainNpmEnv() });
    install = { status: run.status, output: `${run.stdout}${run.stderr}${run.error ?? ''}` };

    fs.writeFileSync(path.join(app, 'handler.ts'), 'export const handler = async () => ({ statusCode: 200, body: "hi" });\n');
    fs.writeFileSync(path.join(app, 'app.js'), `
      const path = require('path');
      const { App, Stack } = require('aws-cdk-lib');
      const { ResilientFunction, ProvisionedConcurrency, ResilientHttpApi, RouteAuth } = require('cdk-resilient-serverless');
      const library = path.dirname(require.resolve('cdk-resilient-serverless/package.json'));
      const app = new App({ outdir: path.join(__dirname, 'cdk.out') });
      const stack = new Stack(app, 'Consumer');
      const fn = new ResilientFunction(stack, 'Api', { entry: path.join(__dirname, 'handler.ts'), provisionedConcurrency: ProvisionedConcurrency.fixed(2) });
      new ResilientHttpApi(stack, 'Http').addRoute('GET', '/hi', fn, { auth: RouteAuth.none() });
      console.log(JSON.stringify({
        appCdk: require.resolve('aws-cdk-lib'),
        libraryCdk: require.resolve('aws-cdk-lib', { paths: [library] }),
        version: require('aws-cdk-lib/package.json').version,
        template: app.synth().getStackByName('Consumer').template,
      }));
    `);
  }, 600_000);

  /** Fails the dependent tests with a pointer to the install failure instead of a confusing error. */
  function installed(): void {
    if (install.status !== 0) throw new Error('npm install failed: see "a plain npm install accepts the floor"');
  }

  test(`a plain npm install accepts the floor (aws-cdk-lib ${FLOOR} inside the published peer range)`, () => {
    // ERESOLVE here: package.json peerDependencies does not accept aws-cdk-lib FLOOR (or constructs ^10).
    expect(install).toEqual({ status: 0, output: expect.any(String) });
  });

  test('npm ls finds the installed tree valid, with one aws-cdk-lib at the floor', () => {
    installed();
    const ls = spawnSync('npm', ['ls', '--all', '--json'], { cwd: app, encoding: 'utf-8', env: plainNpmEnv() });
    const problems: string[] = JSON.parse(ls.stdout).problems ?? [];
    // An unaccepted peer shows as `invalid: aws-cdk-lib@… <app>/node_modules/aws-cdk-lib`. Left out:
    // aws-cdk-lib's own bundled dependencies, which npm ls flags on some releases (2.252.0: jsonschema).
    expect(problems.filter((p) => !p.includes(`${path.sep}node_modules${path.sep}aws-cdk-lib${path.sep}node_modules${path.sep}`))).toEqual([]);
    const versions = new Set<string>();
    const visit = (deps: Record<string, any> = {}) => Object.entries(deps).forEach(([name, dep]) => {
      if (name === 'aws-cdk-lib') versions.add(dep.version);
      visit(dep.dependencies);
    });
    visit(JSON.parse(ls.stdout).dependencies);
    expect([...versions]).toEqual([FLOOR]);
    expect(fs.existsSync(path.join(app, 'node_modules', 'cdk-resilient-serverless', 'node_modules'))).toBe(false);
  });

  test('the app synthesizes a ResilientFunction with provisioned concurrency on its live alias behind an HTTP API route', () => {
    installed();
    const out = execFileSync(process.execPath, ['app.js'], { cwd: app, encoding: 'utf-8', env: plainNpmEnv() });
    const { appCdk, libraryCdk, version, template } = JSON.parse(out.trim().split('\n').pop()!);
    expect(version).toBe(FLOOR);
    expect(libraryCdk).toBe(appCdk);
    expect(fs.realpathSync(appCdk)).toBe(fs.realpathSync(path.join(app, 'node_modules', 'aws-cdk-lib', 'index.js')));

    const resources = Object.entries<any>(template.Resources);
    const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
    const aliases = ofType('AWS::Lambda::Alias');
    expect(aliases.map(([, r]) => r.Properties)).toEqual([
      expect.objectContaining({ Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } }),
    ]);
    const aliasRef = { Ref: aliases[0][0] };
    expect(ofType('AWS::Lambda::Function')).not.toEqual([]);
    expect(ofType('AWS::CloudWatch::Alarm')).not.toEqual([]);
    expect(ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey)).toEqual(['GET /hi']);
    expect(ofType('AWS::ApiGatewayV2::Integration').map(([, r]) => r.Properties.IntegrationUri)).toEqual([aliasRef]);
    const apiPermissions = ofType('AWS::Lambda::Permission').filter(([, r]) => r.Properties.Principal === 'apigateway.amazonaws.com');
    expect(apiPermissions).not.toEqual([]);
    for (const [, permission] of apiPermissions) expect(permission.Properties.FunctionName).toEqual(aliasRef);
    // The handler was bundled (by the consumer's esbuild) into an asset.
    expect(fs.readdirSync(path.join(app, 'cdk.out')).some((f) => f.startsWith('asset.'))).toBe(true);
  });
});
