import type { CfnResource } from '../assembly/cloud-assembly';
import type { TemplateResolver } from '../intrinsics/template-resolver';
import { displayName } from './display-name';
import type { QueueSpec, TableSpec } from './specs';

type Props = Record<string, unknown>;

/** Reads DynamoDB tables as CreateTable inputs (the key schema and indexes; billing is irrelevant locally). */
export function readTables(resolver: TemplateResolver, resources: Array<[string, CfnResource]>): TableSpec[] {
  const tables: TableSpec[] = [];
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    const props = resolver.properties(logicalId);
    const tableName = resolver.attributes(logicalId, logicalId).ref;
    const throughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    const onDemand = props.BillingMode === 'PAY_PER_REQUEST';
    const index = (i: Props) => ({
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: i.Projection,
      ...(onDemand ? {} : { ProvisionedThroughput: i.ProvisionedThroughput ?? throughput }),
    });
    const stream = props.StreamSpecification as Props | undefined;
    const viewType = stream?.StreamViewType as TableSpec['streamViewType'] | undefined;
    tables.push({
      logicalId,
      ...(viewType ? { streamViewType: viewType, streamArn: resolver.attributes(logicalId, logicalId).attributes.StreamArn } : {}),
      displayName: displayName(resolver.stackName, logicalId, resource),
      tableName,
      createTable: {
        TableName: tableName,
        AttributeDefinitions: props.AttributeDefinitions,
        KeySchema: props.KeySchema,
        ...(onDemand ? { BillingMode: 'PAY_PER_REQUEST' } : { ProvisionedThroughput: props.ProvisionedThroughput ?? throughput }),
        ...(Array.isArray(props.GlobalSecondaryIndexes) ? { GlobalSecondaryIndexes: props.GlobalSecondaryIndexes.map((i) => index(i as Props)) } : {}),
        ...(Array.isArray(props.LocalSecondaryIndexes) ? { LocalSecondaryIndexes: props.LocalSecondaryIndexes.map((i) => ({ IndexName: (i as Props).IndexName, KeySchema: (i as Props).KeySchema, Projection: (i as Props).Projection })) } : {}),
      },
    });
  }
  return tables;
}

/** Reads SQS queues with what their consumers see: visibility timeout, delay, FIFO, redrive policy. */
export function readQueues(resolver: TemplateResolver, resources: Array<[string, CfnResource]>): QueueSpec[] {
  return resources
    .filter(([, r]) => r.Type === 'AWS::SQS::Queue')
    .map(([logicalId, resource]) => {
      const attrs = resolver.attributes(logicalId, logicalId);
      const props = resolver.properties(logicalId);
      // RedrivePolicy is an object in CDK's output, a JSON string when written by hand.
      const redrive = (typeof props.RedrivePolicy === 'string' ? JSON.parse(props.RedrivePolicy) : props.RedrivePolicy) as Props | undefined;
      return {
        logicalId,
        displayName: displayName(resolver.stackName, logicalId, resource),
        arn: attrs.attributes.Arn,
        name: attrs.attributes.QueueName,
        url: attrs.attributes.QueueUrl,
        visibilityTimeoutSeconds: props.VisibilityTimeout === undefined ? 30 : Number(props.VisibilityTimeout),
        delaySeconds: props.DelaySeconds === undefined ? 0 : Number(props.DelaySeconds),
        fifo: props.FifoQueue === true || props.FifoQueue === 'true',
        contentBasedDeduplication: props.ContentBasedDeduplication === true || props.ContentBasedDeduplication === 'true',
        ...(redrive?.deadLetterTargetArn ? { redrive: { deadLetterTargetArn: String(redrive.deadLetterTargetArn), maxReceiveCount: Number(redrive.maxReceiveCount) } } : {}),
      };
    });
}
