import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/*
 * A cloud assembly shaped like a CDK app's (NodejsFunction assets: esbuild bundles with `@aws-sdk/*` external,
 * as aws-lambda-nodejs leaves it by default), written without a synth: a DynamoDB table, functions whose
 * bundles use `@aws-sdk/lib-dynamodb`, and an HTTP API with a `GET /<function>/{id}` route to each.
 */

/** Writes through DynamoDBDocumentClient (a string set, a number), reads it back consistently, answers the item. */
export const DOCUMENT_CLIENT_HANDLER = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  const pk = event.pathParameters.id;
  await documents.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk, tags: new Set(['a', 'b']), count: 2 } }));
  const { Item } = await documents.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk }, ConsistentRead: true }));
  return { statusCode: 200, body: JSON.stringify({ ...Item, tags: [...Item.tags].sort() }) };
};
`;

/** Sends to a queue with a client the runner's cache does not hold (no registry: it cannot be installed). */
export const SQS_HANDLER = `
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});
export const handler = async () => { await sqs.send(new SendMessageCommand({ QueueUrl: 'x', MessageBody: 'y' })); return { statusCode: 200 }; };
`;

export interface SdkAppFunction {
  /** Logical id, also the first path segment of its route. */
  readonly name: string;
  readonly source: string;
  readonly format: 'cjs' | 'esm';
}

/** Bundles each function and writes the assembly into `directory`. */
export function writeSdkApp(directory: string, functions: readonly SdkAppFunction[]): string {
  mkdirSync(directory, { recursive: true });
  const resources: Record<string, unknown> = {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
    },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'api', ProtocolType: 'HTTP' } },
    Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', AutoDeploy: true } },
  };
  for (const fn of functions) {
    const asset = `asset.${fn.name}`;
    const outfile = join(directory, asset, fn.format === 'esm' ? 'index.mjs' : 'index.js');
    buildSync({ stdin: { contents: fn.source, loader: 'js', resolveDir: directory }, bundle: true, platform: 'node', target: 'node20', format: fn.format, external: ['@aws-sdk/*'], outfile, logLevel: 'error' });
    resources[fn.name] = {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:asset:path': asset },
      Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 30, Environment: { Variables: { TABLE_NAME: { Ref: 'Table' } } } },
    };
    resources[`${fn.name}Integration`] = { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [fn.name, 'Arn'] }, PayloadFormatVersion: '2.0' } };
    resources[`${fn.name}Route`] = { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: `GET /${fn.name}/{id}`, Target: { 'Fn::Join': ['', ['integrations/', { Ref: `${fn.name}Integration` }]] } } };
  }
  writeFileSync(join(directory, 'SdkApp.template.json'), JSON.stringify({ Resources: resources }));
  writeFileSync(join(directory, 'manifest.json'), JSON.stringify({
    version: '55.0.0',
    artifacts: { SdkApp: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'SdkApp.template.json' } } },
  }));
  return directory;
}
