/*
 * Lambda's Invoke API, versions, aliases and asynchronous invocation as AWS documents them, on a probe app of
 * plain aws-cdk-lib constructs, called through the AWS SDK the way an app calls Lambda.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { Harness, startHarness } from '../support/runner-harness';

const WHO_AM_I = `exports.handler = async (event, context) => ({
  functionVersion: context.functionVersion,
  envVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  logStream: context.logStreamName,
  envLogStream: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  invoked: context.invokedFunctionArn,
  initializationType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
});`;
const FAILING = `exports.handler = async (event) => { throw new Error('failed on ' + JSON.stringify(event)); };`;

let probe: ProbeAssembly;
let h: Harness;
let client: LambdaClient;
const names: Record<string, string> = {};

beforeAll(async () => {
  probe = synthesizeProbe((stack) => {
    const versioned = inlineNodeFunction(stack, 'Versioned', WHO_AM_I);
    new lambda.Alias(stack, 'Live', { aliasName: 'live', version: versioned.currentVersion, provisionedConcurrentExecutions: 1 });

    const reserved = inlineNodeFunction(stack, 'Reserved', WHO_AM_I, { reservedConcurrentExecutions: 1 });
    new lambda.Alias(stack, 'ReservedLive', { aliasName: 'live', version: reserved.currentVersion, provisionedConcurrentExecutions: 1 });

    const dlq = new sqs.Queue(stack, 'DeadLetters');
    inlineNodeFunction(stack, 'FailsToDlq', FAILING, { deadLetterQueue: dlq });

    const failures = new sqs.Queue(stack, 'Failures');
    inlineNodeFunction(stack, 'FailsToDestination', FAILING, { retryAttempts: 1, onFailure: new SqsDestination(failures) });

    const young = new sqs.Queue(stack, 'TooOld');
    inlineNodeFunction(stack, 'FailsYoung', FAILING, { retryAttempts: 2, maxEventAge: Duration.seconds(90), onFailure: new SqsDestination(young) });
  });
  h = await startHarness(probe.directory, new Date('2026-11-26T07:58:00Z'));
  for (const f of h.runner.functions.all) names[f.spec.displayName] = f.spec.functionName;
  client = new LambdaClient({ endpoint: h.runner.invokeUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  client?.destroy();
  await h?.runner.close();
  probe?.remove();
});

async function invoke(name: string, qualifier?: string): Promise<{ status?: number; version?: string; payload: any }> {
  const out = await client.send(new InvokeCommand({ FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) }));
  return { status: out.StatusCode, version: out.ExecutedVersion, payload: JSON.parse(Buffer.from(out.Payload ?? []).toString() || 'null') };
}

describe('versions and aliases', () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html (functionVersion: the version of the function)
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
  test('through an alias over version 1, the handler sees version 1 in its context, environment and log stream', async () => {
    const live = await invoke(names.Versioned, 'live');
    expect([live.status, live.version]).toEqual([200, '1']);
    expect(live.payload).toMatchObject({ functionVersion: '1', envVersion: '1', invoked: expect.stringMatching(/:function:[^:]+:live$/) });
    expect(live.payload.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[1\][0-9a-f]{32}$/);
    expect(live.payload.envLogStream).toBe(live.payload.logStream);

    const latest = await invoke(names.Versioned);
    expect([latest.version, latest.payload.functionVersion, latest.payload.envVersion]).toEqual(['$LATEST', '$LATEST', '$LATEST']);
    expect(latest.payload.logStream).toMatch(/\/\[\$LATEST\][0-9a-f]{32}$/);

    const version = await invoke(names.Versioned, '1');
    expect([version.version, version.payload.functionVersion]).toEqual(['1', '1']);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
  // (provisioned concurrency is configured on an alias or version; invocations of the unqualified function run on demand)
  test('provisioned concurrency serves the alias only; unqualified calls run on on-demand environments', async () => {
    const live = await invoke(names.Versioned, 'live');
    expect(live.payload.initializationType).toBe('provisioned-concurrency');
    const latest = await invoke(names.Versioned);
    expect(latest.payload.initializationType).toBe('on-demand');
    const records = h.invocationsOf('Versioned');
    const liveRecord = records.filter((r) => r.qualifier === 'live').at(-1)!;
    const latestRecord = records.filter((r) => r.qualifier === undefined).at(-1)!;
    expect(liveRecord.result.facts.initializationType).toBe('provisioned-concurrency');
    expect(latestRecord.result.facts.initializationType).toBe('on-demand');
    expect(liveRecord.result.facts.environmentId).not.toBe(latestRecord.result.facts.environmentId);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
  // (provisioned concurrency counts towards a function's reserved concurrency)
  test('reserved concurrency 1 held by the alias\'s provisioned environment: an unqualified call is throttled', async () => {
    const live = await invoke(names.Reserved, 'live');
    expect([live.status, live.payload.initializationType]).toEqual([200, 'provisioned-concurrency']);
    const failure = await invoke(names.Reserved).then(() => undefined, (e: any) => e);
    expect([failure?.name, failure?.$metadata.httpStatusCode]).toEqual(['TooManyRequestsException', 429]);
  });

  // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (ResourceNotFoundException, 404)
  test('an unknown qualifier or function is a 404 ResourceNotFoundException', async () => {
    for (const [name, qualifier] of [[names.Versioned, 'nope'], [names.Versioned, '7'], ['no-such-function', undefined]]) {
      const failure = await invoke(name!, qualifier).then(() => undefined, (e: any) => e);
      expect(failure?.name).toBe('ResourceNotFoundException');
      expect(failure?.$metadata.httpStatusCode).toBe(404);
    }
  });
});

test('runner.invoke names the aliases and versions a function has when asked for another', async () => {
  await expect(h.runner.invoke('Versioned', {}, 'nope')).rejects.toThrow('Function Versioned has no alias or version "nope"; it has $LATEST, 1, live');
});

describe('asynchronous invocation (InvocationType Event)', () => {
  const event = async (name: string, payload: unknown) =>
    client.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  const attemptsOf = (display: string, marker: number) => h.invocationsOf(display).filter((r) => r.trigger === 'lambda:Invoke Event' && r.result.error?.errorMessage === `failed on {"n":${marker}}`);

  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
  // (on a function error Lambda retries twice, about one minute and then two minutes apart; then the dead-letter queue)
  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
  test('a failing function is retried twice, one then two minutes later, and the event lands in its dead-letter queue', async () => {
    const accepted = await event(names.FailsToDlq, { n: 1 });
    expect(accepted.StatusCode).toBe(202);
    await h.runner.settled();
    expect(attemptsOf('FailsToDlq', 1)).toHaveLength(1);
    await h.advance(59_000);
    expect(attemptsOf('FailsToDlq', 1)).toHaveLength(1);
    await h.advance(1_000);
    expect(attemptsOf('FailsToDlq', 1)).toHaveLength(2);
    await h.advance(119_000);
    expect(attemptsOf('FailsToDlq', 1)).toHaveLength(2);
    await h.advance(1_000);
    expect(attemptsOf('FailsToDlq', 1).map((r) => r.attempt)).toEqual([1, 2, 3]);
    const dead = h.runner.queues.list('DeadLetters');
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0].body)).toEqual({ n: 1 });
    expect(dead[0].attributes).toMatchObject({ ErrorCode: '200', ErrorMessage: 'failed on {"n":1}' });
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-async-destinations
  // (the on-failure destination receives an invocation record: requestContext, requestPayload, responseContext, responsePayload)
  test('EventInvokeConfig MaximumRetryAttempts 1: two attempts, then an invocation record to the on-failure destination', async () => {
    await event(names.FailsToDestination, { n: 2 });
    await h.advance(10 * 60_000, 10_000);
    expect(attemptsOf('FailsToDestination', 2)).toHaveLength(2);
    const records = h.runner.queues.list('Failures');
    expect(records).toHaveLength(1);
    const record = JSON.parse(records[0].body);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2, functionArn: expect.stringContaining(`:function:${names.FailsToDestination}`) },
      requestPayload: { n: 2 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'failed on {"n":2}' },
    });
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html (MaximumEventAgeInSeconds)
  test('MaximumEventAgeInSeconds 90: the retry due after three minutes is not made; the record says EventAgeExceeded', async () => {
    await event(names.FailsYoung, { n: 3 });
    await h.advance(10 * 60_000, 10_000);
    expect(attemptsOf('FailsYoung', 3)).toHaveLength(2);
    const record = JSON.parse(h.runner.queues.list('TooOld')[0].body);
    expect(record.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 2 });
  });
});
