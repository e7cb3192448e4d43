import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ResilientFunction, ResilientHttpApi, ResilientRestApi, RouteAuth } from '../../lib';
import { startLocalRunner } from '../../lib/local/runner';
import { call } from '../local/support/http-client';
import { sigv4Headers } from '../local/support/sigv4';
import { nagFindings } from '../support/nag';
import { echoFunction, newStack } from '../support/stacks';
import { testTemplatesAreClean } from '../support/template-checks';

const aliasRef = (stack: Stack, fn: ResilientFunction) => ({ Ref: stack.resolve((fn.alias.node.defaultChild as CfnResource).logicalId) });
const methodOf = (template: Template, pathPart: string) => {
  const resourceId = Object.entries(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: pathPart } }))[0][0];
  return Object.values<any>(template.findResources('AWS::ApiGateway::Method', { Properties: { ResourceId: { Ref: resourceId } } }))[0].Properties;
};
const uriParts = (method: any): unknown[] => method.Integration.Uri['Fn::Join'][1];

describe('ResilientRestApi routes with responseStreaming', () => {
  const stack = newStack();
  const quick = echoFunction(stack, {}, 'Quick');
  const long = echoFunction(stack, { timeout: Duration.minutes(5) }, 'Long');
  const api = new ResilientRestApi(stack, 'Api', { defaultAuth: RouteAuth.none() });
  api.addRoute('GET', '/stream', quick, { responseStreaming: true });
  api.addRoute('GET', '/report', long, { responseStreaming: true });
  api.addRoute('GET', '/buffered', quick);
  api.addRoute('GET', '/slow', long);
  const template = Template.fromStack(stack);

  test('the integration streams (STREAM transfer mode) and invokes the live alias through InvokeWithResponseStream', () => {
    const method = methodOf(template, 'stream');
    expect(method.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', ResponseTransferMode: 'STREAM' });
    expect(uriParts(method)).toEqual([
      'arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2021-11-15/functions/', aliasRef(stack, quick), '/response-streaming-invocations',
    ]);
  });

  test('a route without the option stays buffered on the Invoke path', () => {
    const method = methodOf(template, 'buffered');
    expect(method.Integration.ResponseTransferMode).toBeUndefined();
    expect(uriParts(method)).toContain(':lambda:path/2015-03-31/functions/');
    expect(uriParts(method)).toContain('/invocations');
  });

  test('the integration timeout follows a function that runs longer than 29 s; a short function keeps the default', () => {
    expect(methodOf(template, 'report').Integration.TimeoutInMillis).toBe(300_000);
    expect(methodOf(template, 'stream').Integration.TimeoutInMillis).toBeUndefined();
    expect(methodOf(template, 'slow').Integration.TimeoutInMillis).toBeUndefined();
  });

  test('the 29 s warning names buffered routes only, and points at streaming', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('restIntegrationTimeout')).map((w) => String(w.entry.data));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('GET /slow');
    expect(warnings[0]).toContain('responseStreaming: true');
  });

  test('API Gateway may invoke the alias for the streaming method only (lambda:InvokeFunction covers InvokeWithResponseStream)', () => {
    const permissions = Object.values<any>(template.findResources('AWS::Lambda::Permission', { Properties: { FunctionName: aliasRef(stack, long) } }));
    const sources = permissions.map((p) => JSON.stringify(p.Properties.SourceArn));
    expect(permissions.every((p) => p.Properties.Action === 'lambda:InvokeFunction' && p.Properties.Principal === 'apigateway.amazonaws.com')).toBe(true);
    expect(sources.some((s) => s.includes('/GET/report'))).toBe(true);
  });

  test('cdk-nag (AwsSolutions, Serverless) has nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('responseStreaming where it cannot work', () => {
  test('an HTTP API route refuses it at synth time, naming the route, the prop, the value and the alternatives', () => {
    const stack = newStack();
    const fn = echoFunction(stack);
    const api = new ResilientHttpApi(stack, 'Http');
    expect(() => api.addRoute('GET', '/stream', fn, { auth: RouteAuth.none(), responseStreaming: true })).toThrow(
      /Http.*addRoute\(GET \/stream\).*responseStreaming must be unset or false on a ResilientHttpApi \(HTTP APIs do not stream responses; use a ResilientRestApi route, or a function URL: fn\.addFunctionUrl\(\{ invokeMode: lambda\.InvokeMode\.RESPONSE_STREAM \}\)\), got true/s,
    );
    expect(() => api.addRoute('GET', '/ok', fn, { auth: RouteAuth.none(), responseStreaming: false })).not.toThrow();
  });
});

describe('a ResilientFunction function URL in RESPONSE_STREAM mode', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM, invokeMode: lambda.InvokeMode.RESPONSE_STREAM });
  const template = Template.fromStack(stack);

  test('streams from the live alias', () => {
    expect(url).toBeInstanceOf(lambda.FunctionUrl);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM', Qualifier: 'live' });
  });

  test('cdk-nag has nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('streaming routes and function URLs synthesize to templates CloudFormation accepts', () => {
  process.env.CDK_VALIDATION = 'true';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'streaming-lint-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Streaming');
  // The README's streaming handler, bundled as users would.
  const fn = new ResilientFunction(stack, 'Fn', { entry: path.join(__dirname, '..', 'fixtures', 'handlers', 'chat-stream.ts'), timeout: Duration.minutes(15) });
  const api = new ResilientRestApi(stack, 'Rest', { defaultAuth: RouteAuth.iam() });
  api.addRoute('POST', '/chat', fn, { responseStreaming: true });
  api.addRoute('GET', '/health', fn, { auth: RouteAuth.none() });
  fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM, invokeMode: lambda.InvokeMode.RESPONSE_STREAM });
  const assembly = app.synth();
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('the 15-minute function makes a 900000 ms integration timeout', () => {
    const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, assembly.stacks[0].templateFile), 'utf-8')));
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: Match.objectLike({ ResponseTransferMode: 'STREAM', TimeoutInMillis: 900_000 }) });
  });

  testTemplatesAreClean(outdir, assembly.stacks.map((s) => path.join(outdir, s.templateFile)));

  test('the local runner streams the synthesized route and function URL', async () => {
    const runner = await startLocalRunner({ assembly: outdir, port: 0, log: () => undefined, functionOutput: false });
    try {
      const rest = runner.apis.find((a) => a.kind === 'rest')!;
      const url = runner.apis.find((a) => a.kind === 'http')!;
      // Both are AWS_IAM, which the runner enforces: signed with its dummy credentials.
      for (const [target, service] of [[`${rest.url}/prod/chat`, 'execute-api'], [`${url.url}/`, 'lambda']]) {
        const reply = await call(target, { method: 'POST', headers: await sigv4Headers(target, { method: 'POST', service }) });
        expect({ status: reply.status, type: reply.headers['content-type'], chunked: reply.headers['transfer-encoding'], body: reply.text() })
          .toEqual({ status: 200, type: 'text/event-stream', chunked: 'chunked', body: 'data: Hel\n\ndata: lo\n\n' });
      }
    } finally {
      await runner.close();
    }
  });
});
