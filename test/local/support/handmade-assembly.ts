import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A cloud assembly written by hand: a manifest and one template per stack, for tests that need no synth. */
export function writeAssembly(stacks: Record<string, { Resources: Record<string, unknown>; [key: string]: unknown }>): { directory: string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'local-runner-assembly-'));
  const artifacts: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(stacks)) {
    writeFileSync(join(directory, `${name}.template.json`), JSON.stringify(template));
    artifacts[name] = { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: `${name}.template.json` } };
  }
  writeFileSync(join(directory, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  return { directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** An inline Node.js function (CloudFormation ZipFile) answering with `body`. */
export function inlineFunction(body: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Runtime: 'nodejs24.x', Handler: 'index.handler',
      Code: { ZipFile: `exports.handler = async () => ({ statusCode: 200, body: ${JSON.stringify(body)} });` },
      ...extra,
    },
  };
}

/** An HTTP API with `GET /hello` to the function `fn` (a logical id), on its `$default` stage. */
export function httpApiTo(fn: string): Record<string, unknown> {
  return {
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'api', ProtocolType: 'HTTP' } },
    Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [fn, 'Arn'] }, PayloadFormatVersion: '2.0' } },
    Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /hello', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] } } },
    Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', AutoDeploy: true } },
  };
}

export function makeDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
