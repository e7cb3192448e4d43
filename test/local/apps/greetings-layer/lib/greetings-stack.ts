import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerImage, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';

/**
 * A shared-dependencies layer, as the usual samples build one: the layer folder (a config file) plus `uuid` copied
 * into nodejs/node_modules by local bundling (Docker only when local bundling is impossible), and a function that
 * keeps uuid out of its bundle because the layer provides it.
 */
export class GreetingsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const layerDir = path.join(__dirname, '..', 'layer');
    const shared = new lambda.LayerVersion(this, 'SharedDeps', {
      description: 'uuid and the greeting config',
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      code: lambda.Code.fromAsset(layerDir, {
        bundling: {
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
          local: {
            tryBundle(outputDir: string): boolean {
              fs.cpSync(layerDir, outputDir, { recursive: true });
              const uuid = path.dirname(require.resolve('uuid/package.json'));
              fs.cpSync(uuid, path.join(outputDir, 'nodejs', 'node_modules', 'uuid'), { recursive: true, dereference: true });
              return true;
            },
          },
        },
      }),
    });

    const hello = new NodejsFunction(this, 'Hello', {
      entry: path.join(__dirname, '..', 'handlers', 'hello.ts'),
      runtime: lambda.Runtime.NODEJS_24_X,
      layers: [shared],
      bundling: { externalModules: ['@aws-sdk/*', 'uuid'] },
    });

    const api = new apigateway.RestApi(this, 'GreetingsApi');
    api.root.addResource('hello').addMethod('GET', new apigateway.LambdaIntegration(hello));
  }
}
