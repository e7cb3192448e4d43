import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Jobs come in over an HTTP API and wait in a queue; a worker records them in a table (failing the poison ones,
 * which end in the dead-letter queue); the table's stream feeds an audit function that sees new jobs only.
 */
export class QueueWorkerStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const deadLetters = new sqs.Queue(this, 'JobsDlq');
    const jobs = new sqs.Queue(this, 'Jobs', { visibilityTimeout: Duration.seconds(2), deadLetterQueue: { queue: deadLetters, maxReceiveCount: 2 } });
    const table = new dynamodb.Table(this, 'JobTable', {
      partitionKey: { name: 'jobId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const handler = (id: string, file: string, environment: Record<string, string>) => new NodejsFunction(this, id, {
      entry: path.join(__dirname, '..', 'handlers', file),
      runtime: lambda.Runtime.NODEJS_24_X,
      timeout: Duration.seconds(1),
      environment,
    });
    const enqueue = handler('Enqueue', 'enqueue.ts', { QUEUE_URL: jobs.queueUrl });
    const worker = handler('Worker', 'worker.ts', { JOB_TABLE: table.tableName });
    const audit = handler('Audit', 'audit.ts', {});
    jobs.grantSendMessages(enqueue);
    table.grantWriteData(worker);

    worker.addEventSource(new SqsEventSource(jobs, { batchSize: 5, reportBatchItemFailures: true }));
    audit.addEventSource(new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.LATEST,
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
    }));

    const api = new apigwv2.HttpApi(this, 'JobsApi');
    api.addRoutes({ path: '/jobs', methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('EnqueueIntegration', enqueue) });
  }
}
