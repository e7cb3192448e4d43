import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const sqs = new SQSClient({});

/** Queues a job; the worker does it. */
export const handler = async (event: APIGatewayProxyEventV2) => {
  const job = JSON.parse(event.body ?? '{}') as { jobId?: string };
  if (typeof job.jobId !== 'string') return { statusCode: 400, body: JSON.stringify({ message: 'jobId must be a string' }) };
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(job) }));
  return { statusCode: 202, body: JSON.stringify({ jobId: job.jobId, messageId: sent.MessageId }) };
};
