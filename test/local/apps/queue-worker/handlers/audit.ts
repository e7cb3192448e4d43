import type { DynamoDBStreamEvent } from 'aws-lambda';

/** Sees each new job once, from the table's stream. */
export const handler = async (event: DynamoDBStreamEvent) => {
  for (const record of event.Records) console.log(`audited job ${record.dynamodb?.NewImage?.jobId?.S} (${record.eventName})`);
};
