import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { resolveEnvironmentOverrides } from '../../../lib/local/overrides/env-vars';
import { parseParameterOverrides } from '../../../lib/local/overrides/parameter-overrides';
import type { FunctionSpec } from '../../../lib/local/model/specs';
import { startLocalRunner } from '../../../lib/local/runner';
import { ProbeAssembly, synthesizeProbe } from '../support/probe-app';

/*
 * --env-vars as SAM reads it (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-invoke.html#serverless-sam-cli-using-invoke-environment-file):
 * "Parameters" for every function, an object per function found by logical id, function id, function name or full
 * path (that precedence); the function's own object wins over Parameters. --parameter-overrides as SAM and
 * `aws cloudformation deploy` take it: `Key=Value` or `ParameterKey=Key,ParameterValue=Value`, space-separated.
 */

const ECHO = "exports.handler = async (event) => Object.fromEntries(event.names.map((n) => [n, process.env[n] ?? null]));";

let probe: ProbeAssembly;
beforeAll(() => {
  probe = synthesizeProbe((stack) => {
    const stage = new CfnParameter(stack, 'Stage', { default: 'prod', allowedValues: ['prod', 'dev'] });
    const endpoint = new CfnParameter(stack, 'Endpoint', { type: 'String' }); // no Default: the runner needs a value
    const zones = new CfnParameter(stack, 'Zones', { type: 'CommaDelimitedList', default: 'a,b' });
    const fn = (id: string, environment: Record<string, string>) => new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(ECHO), environment });
    fn('Hello', { STAGE: stage.valueAsString, TABLE: 'orders' });
    fn('Other', { STAGE: stage.valueAsString, ENDPOINT: endpoint.valueAsString, SECOND_ZONE: Fn.select(1, zones.valueAsList) });
  });
});
afterAll(() => probe.remove());

test('env vars: Parameters for all, the function object wins, endpoints overridable, new variables added, all printed', async () => {
  const lines: string[] = [];
  const runner = await startLocalRunner({
    assembly: probe.directory, port: 0, log: (l) => lines.push(l), functionOutput: false,
    parameterOverrides: { Stage: 'dev', Endpoint: 'http://api.test', Zones: 'x,y,z' },
    environmentVariables: {
      Parameters: { STAGE: 'everywhere', SHARED: 'yes' },
      Hello: { STAGE: 'hello-only', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000', RETRIES: 3, VERBOSE: true, API_KEY: 's3cret' },
      Ghost: { X: '1' },
    },
  });
  try {
    const names = ['STAGE', 'SHARED', 'TABLE', 'AWS_ENDPOINT_URL_DYNAMODB', 'RETRIES', 'VERBOSE', 'API_KEY', 'ENDPOINT', 'SECOND_ZONE'];
    expect((await runner.invoke('Hello', { names })).payload).toEqual({
      STAGE: 'hello-only', SHARED: 'yes', TABLE: 'orders', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000', RETRIES: '3', VERBOSE: 'true', API_KEY: 's3cret', ENDPOINT: null, SECOND_ZONE: null,
    });
    const other = (await runner.invoke('Other', { names })).payload as Record<string, string>;
    expect(other).toMatchObject({ STAGE: 'everywhere', SHARED: 'yes', ENDPOINT: 'http://api.test', SECOND_ZONE: 'y', API_KEY: null });
    // Not overridden: the runner's own endpoint.
    expect(other.AWS_ENDPOINT_URL_DYNAMODB).toBe(runner.dynamoEndpoint);

    const log = lines.join('\n');
    expect(log).toContain('parameter overrides: Stage=dev (Probe), Endpoint=http://api.test (Probe), Zones=x,y,z (Probe)');
    expect(log).toContain('environment overrides:\n  Hello: STAGE="hello-only", SHARED="yes" (not in the template: added), AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:8000" (not in the template: added), RETRIES="3" (not in the template: added), VERBOSE="true" (not in the template: added), API_KEY=**** (not in the template: added)');
    expect(log).toContain('  Other: STAGE="everywhere", SHARED="yes" (not in the template: added)');
    expect(log).toMatch(/warning: "Ghost" names no function run here, its variables are not used \(functions: Hello[0-9A-F]{8}, Other[0-9A-F]{8}\)/);
  } finally {
    await runner.close();
  }
});

test('without overrides, a parameter with no Default stops the start and says how to give it', async () => {
  await expect(startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined })).rejects.toThrow(/refers to parameter Endpoint, which has no Default: give it a value with --parameter-overrides Endpoint=<value>/);
});

test('a parameter override no stack declares, or one its AllowedValues refuse, stops the start naming it', async () => {
  await expect(startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, parameterOverrides: { Endpoint: 'x', Stgae: 'dev' } }))
    .rejects.toThrow('--parameter-overrides cannot be applied:\n  - Stgae: no stack run here declares this parameter (they declare: Stage, Endpoint, Zones, BootstrapVersion)');
  await expect(startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, parameterOverrides: { Endpoint: 'x', Stage: 'qa' } }))
    .rejects.toThrow('  - Stage="qa" for stack Probe: must be one of "prod", "dev" (AllowedValues)');
});

test('a document of the wrong shape given to the runner is refused at start', async () => {
  await expect(startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, parameterOverrides: { Endpoint: 'x' }, environmentVariables: { Hello: { X: { nested: 1 } } } as never }))
    .rejects.toThrow('environmentVariables:\n  - "Hello"."X" must be a string, number or boolean, got an object');
});

describe('which key names a function, as SAM looks them up', () => {
  const spec = { logicalId: 'Hello1A2B3C4D', displayName: 'Api/Hello', functionName: 'Probe-Hello1A2B3C4D-XYZ', stackName: 'Probe', environment: { A: '' } } as unknown as FunctionSpec;
  const value = (document: Record<string, Record<string, string>>) => resolveEnvironmentOverrides(document, [spec]).byFunction.get(spec.functionName)?.A;

  test.each([
    ['logical id', 'Hello1A2B3C4D'],
    ['construct id (display name)', 'Api/Hello'],
    ['function name', 'Probe-Hello1A2B3C4D-XYZ'],
    ['full path by logical id', 'Probe/Hello1A2B3C4D'],
    ['full path by construct id', 'Probe/Api/Hello'],
  ])('by its %s', (_what, key) => {
    expect(value({ [key]: { A: 'found' } })).toBe('found');
  });

  test('logical id > construct id > function name > full path > Parameters', () => {
    const all = { Parameters: { A: 'p' }, 'Probe/Hello1A2B3C4D': { A: 'path' }, 'Probe-Hello1A2B3C4D-XYZ': { A: 'name' }, 'Api/Hello': { A: 'id' }, Hello1A2B3C4D: { A: 'logical' } };
    expect(value(all)).toBe('logical');
    const { Hello1A2B3C4D: _l, ...noLogical } = all;
    expect(value(noLogical)).toBe('id');
    const { 'Api/Hello': _i, ...noId } = noLogical;
    expect(value(noId)).toBe('name');
    const { 'Probe-Hello1A2B3C4D-XYZ': _n, ...noName } = noId;
    expect(value(noName)).toBe('path');
    expect(value({ Parameters: { A: 'p' } })).toBe('p');
  });
});

describe('--parameter-overrides pairs', () => {
  test('Key=Value and ParameterKey=Key,ParameterValue=Value, quoted values with spaces and equals signs', () => {
    expect(parseParameterOverrides(`Stage=dev ParameterKey=Endpoint,ParameterValue=http://x?a=1 Note="two words" Empty=`)).toEqual({ Stage: 'dev', Endpoint: 'http://x?a=1', Note: 'two words', Empty: '' });
  });

  test.each([
    ['Stage', 'has "Stage", which is not Key=Value or ParameterKey=Key,ParameterValue=Value'],
    ['=dev', 'has "=dev", which is not Key=Value or ParameterKey=Key,ParameterValue=Value'],
    ['St-age=dev', 'has the key "St-age" in "St-age=dev": parameter names are letters and digits only'],
    ['Stage=dev Stage=prod', 'gives Stage twice ("dev" and "prod")'],
    ['Note="open', 'has an unclosed " in "Note=\\"open"'],
    ['   ', 'has no Key=Value pair'],
  ])('%j is refused', (text, message) => {
    expect(() => parseParameterOverrides(text)).toThrow(message);
  });
});
