import * as path from 'node:path';
import { ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { prepareApp, PreparedApp, RunningApp } from '../conformance/support/packed-runner';

/*
 * An HTTP API whose handler queues jobs with the AWS SDK's SQS client, an SqsEventSource worker with partial batch
 * responses writing DynamoDB, and a DynamoEventSource audit function filtered to INSERTs (apps/queue-worker), run
 * unmodified by the packed CLI on the real clock (the queue's visibility timeout is 2 s, maxReceiveCount 2).
 *
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html (batchItemFailures),
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html and .../invocation-eventfiltering.html
 */

let app: PreparedApp;
let runner: RunningApp;
let api: string;

beforeAll(async () => {
  app = await prepareApp(path.join(__dirname, 'queue-worker'));
  runner = await app.start();
  api = runner.apis['JobsApi'];
});
afterAll(() => app?.remove());

const post = (jobId: string) => fetch(`${api}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jobId }) });

test('a queued job is done by the worker, and the table\'s stream reaches the audit function', async () => {
  const accepted = await post('j-1');
  expect(accepted.status).toBe(202);
  expect(await accepted.json()).toEqual({ jobId: 'j-1', messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  await runner.waitForLine(/audited job j-1 \(INSERT\)/, 'the audit function seeing the worker\'s write');
});

test('a poison job fails twice, then moves to the dead-letter queue, where the SDK can read it', async () => {
  expect((await post('poison')).status).toBe(202);
  await runner.waitForLine(/job poison failed, receive 1/);
  await runner.waitForLine(/job poison failed, receive 2/);
  await runner.waitForLine(/sqs Jobs: message \S+ received 2 time\(s\) \(maxReceiveCount 2\) -> dead-letter queue JobsDlq/);
  const endpoint = /SQS endpoint \(AWS JSON protocol\): (\S+),/.exec(runner.report)![1];
  const client = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const urls = (await client.send(new ListQueuesCommand({}))).QueueUrls ?? [];
  const dlqUrl = urls.find((u) => /JobsDlq/.test(u))!;
  const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
  expect(dead.Messages?.map((m) => [JSON.parse(m.Body!).jobId, m.Attributes?.ApproximateReceiveCount])).toEqual([['poison', '3']]);
  expect(dead.Messages?.[0].Attributes?.DeadLetterQueueSourceArn).toMatch(/:QueueWorker-Jobs/);
  client.destroy();
});

test('the start-up report lists the queues and both event sources with their settings', () => {
  expect(runner.report).toMatch(/event source sqs Jobs -> Worker \(batch 5, partial batch responses\)/);
  expect(runner.report).toMatch(/event source stream JobTable -> Audit \(batch 100, 1 filter\(s\)\)/);
});
