import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

const dynamo = new DynamoDBClient({});

/** Records each job; a job named "poison" fails, alone. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const { jobId } = JSON.parse(record.body) as { jobId: string };
    if (jobId === 'poison') {
      console.log(`job ${jobId} failed, receive ${record.attributes.ApproximateReceiveCount}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    await dynamo.send(new PutItemCommand({ TableName: process.env.JOB_TABLE, Item: { jobId: { S: jobId }, doneAt: { S: new Date().toISOString() } } }));
  }
  return { batchItemFailures };
};
