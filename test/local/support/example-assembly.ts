import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ExampleStack } from '../../../bin/example-stack';

/** Handler code of the test-only functions, inline (CloudFormation ZipFile) so they need no bundling. */
const ECHO = `exports.handler = async (event) => {
  if (event.rawPath && event.rawPath.endsWith('/plain')) return { hello: 'world' };
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, multiValueHeaders: { 'x-multi': ['a', 'b'] }, body: JSON.stringify(event) };
};`;
const SLOW = `let served = 0;
exports.handler = async (event) => {
  served++;
  const q = event.queryStringParameters || (event.detail || {});
  const ms = Number(q.ms || 0);
  await new Promise((r) => setTimeout(r, ms));
  return { statusCode: 200, body: 'slept ' + ms + ' after ' + served };
};`;
const FAIL = `exports.handler = async (event) => { throw new Error('processor failed for ' + JSON.stringify(event.detail)); };`;

/** A synthesized cloud assembly in a temporary directory. */
export interface SynthesizedAssembly {
  readonly directory: string;
  readonly stackName: string;
  remove(): void;
}

/**
 * Synthesizes the example app's stack (bin/example-stack.ts, with `pricingUrl` pointing at a test server) into
 * a temporary directory, plus test-only fixtures in the same stack: an echo function behind a REST API and an
 * HTTP API (event shapes), a slow function with reserved concurrency 2 and a 1 s timeout, a tightly throttled
 * HTTP API, and a failing event processor with retries and a failure destination, on a custom bus.
 */
export function synthesizeExample(options: { pricingUrl: string; fixtures?: boolean }): SynthesizedAssembly {
  const directory = mkdtempSync(join(tmpdir(), 'local-runner-e2e-'));
  // The CDK CLI turns on path and asset metadata for `cdk synth`; so does this helper, to produce what users run.
  const app = new App({ outdir: directory, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const stack = new ExampleStack(app, 'ResilientExample', { pricingUrl: options.pricingUrl });
  if (options.fixtures !== false) addFixtures(stack);
  app.synth();
  return { directory, stackName: stack.stackName, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

function inlineFunction(stack: Stack, id: string, code: string, props: Partial<lambda.FunctionProps> = {}): lambda.Alias {
  const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline(code), ...props });
  return new lambda.Alias(stack, `${id}Live`, { aliasName: 'live', version: fn.currentVersion });
}

function addFixtures(stack: ExampleStack): void {
  const echo = inlineFunction(stack, 'Echo', ECHO);
  const slow = inlineFunction(stack, 'Slow', SLOW, { timeout: Duration.seconds(1), reservedConcurrentExecutions: 2 });

  const rest = new apigw.RestApi(stack, 'FixtureRest', {
    cloudWatchRole: false,
    deployOptions: { stageName: 'test' },
    binaryMediaTypes: ['application/octet-stream'],
  });
  rest.root.addResource('echo').addResource('{id}').addMethod('ANY', new apigw.LambdaIntegration(echo));
  rest.root.addResource('files').addProxy({ defaultIntegration: new apigw.LambdaIntegration(echo) });
  rest.root.addResource('slow').addMethod('GET', new apigw.LambdaIntegration(slow));

  const http = new apigwv2.HttpApi(stack, 'FixtureHttp');
  http.addRoutes({ path: '/echo/{id}', methods: [apigwv2.HttpMethod.ANY], integration: new HttpLambdaIntegration('EchoV2', echo) });
  http.addRoutes({ path: '/plain', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('EchoPlain', echo) });
  http.addRoutes({
    path: '/v1/{proxy+}', methods: [apigwv2.HttpMethod.GET],
    integration: new HttpLambdaIntegration('EchoV1', echo, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0 }),
  });
  http.addRoutes({ path: '/slow', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('SlowV2', slow) });

  const throttled = new apigwv2.HttpApi(stack, 'Throttled', { createDefaultStage: false });
  new apigwv2.HttpStage(stack, 'ThrottledStage', { httpApi: throttled, stageName: '$default', autoDeploy: true, throttle: { rateLimit: 1, burstLimit: 2 } });
  throttled.addRoutes({ path: '/echo/{id}', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('EchoThrottled', echo) });

  const failures = new sqs.Queue(stack, 'ProcessorFailures');
  const failing = inlineFunction(stack, 'FailingProcessor', FAIL);
  failing.configureAsyncInvoke({ retryAttempts: 1, onFailure: new SqsDestination(failures) });
  const bus = new events.EventBus(stack, 'FixtureBus');
  const deadLetters = new sqs.Queue(stack, 'RuleDeadLetters');
  new events.Rule(stack, 'FailingRule', {
    eventBus: bus,
    eventPattern: { source: ['fixture.shop'], detailType: ['Broken'], detail: { total: [{ numeric: ['>', 100] }] } as Record<string, unknown> },
    targets: [
      new targets.LambdaFunction(failing),
      // A target that does not exist in the app: EventBridge retries, then dead-letters.
      new targets.LambdaFunction(lambda.Function.fromFunctionArn(stack, 'Gone', `arn:aws:lambda:${stack.region}:${stack.account}:function:gone`), {
        retryAttempts: 2, maxEventAge: Duration.minutes(5), deadLetterQueue: deadLetters,
      }),
    ],
  });
}
