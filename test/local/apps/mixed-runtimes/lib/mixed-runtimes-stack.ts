import * as path from 'node:path';
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';

/** A Node.js API beside a Python function, as teams that share a stack across languages have it. */
export class MixedRuntimesStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const greet = new NodejsFunction(this, 'Greet', {
      entry: path.join(__dirname, '..', 'handlers', 'greet.ts'),
      runtime: lambda.Runtime.NODEJS_22_X,
      environment: { GREETING: 'Hello' },
    });
    const audit = new NodejsFunction(this, 'Audit', {
      entry: path.join(__dirname, '..', 'handlers', 'audit.ts'),
      runtime: lambda.Runtime.NODEJS_22_X,
    });
    const report = new lambda.Function(this, 'Report', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'report.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'handlers', 'python')),
      timeout: Duration.seconds(10),
    });

    const api = new apigateway.RestApi(this, 'MixedApi');
    api.root.addResource('greet').addResource('{name}').addMethod('GET', new apigateway.LambdaIntegration(greet));
    api.root.addResource('report').addMethod('GET', new apigateway.LambdaIntegration(report));

    new events.Rule(this, 'GreetingAudit', {
      eventPattern: { source: ['mixed.greetings'], detailType: ['Greeted'] },
      targets: [new targets.LambdaFunction(audit)],
    });
  }
}
