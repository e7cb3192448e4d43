import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';

export const REPO = join(__dirname, '..', '..');
export const PEER = join(__dirname, 'peer');
export const BUILD = join(__dirname, '.build');

/** Installs the peer (serverless-offline, serverless 3, autocannon) into bench/local/peer from its own lock. */
export function installPeer(): void {
  if (existsSync(join(PEER, 'node_modules', 'serverless-offline', 'package.json'))) return;
  console.error('Installing the peer into bench/local/peer (npm ci, its own lock)...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: PEER, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * The hello handler of the example app (bin/handlers/hello.ts), bundled once and used by both runners; a
 * banner appends a line to BENCH_LOADS_FILE each time a runtime loads it, which counts handler loads.
 */
export function bundleHandler(): string {
  const dir = join(BUILD, 'handler');
  mkdirSync(dir, { recursive: true });
  buildSync({
    entryPoints: [join(REPO, 'bin', 'handlers', 'hello.ts')],
    outfile: join(dir, 'hello.js'),
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true,
    banner: { js: "require('fs').appendFileSync(process.env.BENCH_LOADS_FILE, 'load\\n');" },
    logLevel: 'error',
  });
  return dir;
}

/** Our runner's CLI as users run it: the compiled dist/ of `npm run build`, with its CommonJS assets beside it. */
export function builtRunnerCli(): string {
  const cli = join(REPO, 'dist', 'local', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  return cli;
}

/**
 * A CDK app with the hello function behind a REST API (stage `dev`, like the peer's) and an HTTP API, without
 * provisioned concurrency (the peer has none). Stage limits are raised so API throttling never caps the run.
 */
export function synthesizeBenchApp(handlerDir: string, loadsFile: string): string {
  const outdir = join(BUILD, 'cdk.out');
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'BenchLocal');
  const fn = new lambda.Function(stack, 'Hello', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'hello.handler', code: lambda.Code.fromAsset(handlerDir),
    environment: { BENCH_LOADS_FILE: loadsFile },
  });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  const rest = new apigw.RestApi(stack, 'Rest', { cloudWatchRole: false, deployOptions: { stageName: 'dev', throttlingRateLimit: 1_000_000, throttlingBurstLimit: 1_000_000 } });
  rest.root.addResource('hello').addMethod('GET', new apigw.LambdaIntegration(alias));
  const http = new apigwv2.HttpApi(stack, 'Http', { createDefaultStage: false });
  new apigwv2.HttpStage(stack, 'HttpStage', { httpApi: http, stageName: '$default', autoDeploy: true, throttle: { rateLimit: 1_000_000, burstLimit: 1_000_000 } });
  http.addRoutes({ path: '/hello', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Hello', alias) });
  app.synth();
  return outdir;
}

/** The peer's service: the same bundled handler behind `http` (REST, /dev/hello) and `httpApi` (/hello) events. */
export function writePeerService(handlerDir: string, loadsFile: string): string {
  const dir = join(PEER, '.run');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(handlerDir, 'hello.js'), join(dir, 'hello.js'));
  writeFileSync(join(dir, 'serverless.yml'), [
    'service: bench-hello',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    '  stage: dev',
    '  environment:',
    `    BENCH_LOADS_FILE: ${JSON.stringify(loadsFile)}`,
    'plugins:',
    '  - serverless-offline',
    'functions:',
    '  hello:',
    '    handler: hello.handler',
    '    events:',
    '      - http: { path: hello, method: get }',
    '      - httpApi: { path: /hello, method: get }',
    '',
  ].join('\n'));
  return dir;
}
