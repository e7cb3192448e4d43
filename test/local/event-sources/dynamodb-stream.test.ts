import { BatchWriteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { Harness, startHarness } from '../support/runner-harness';

/*
 * DynamoDB Streams from the embedded tables into functions (aws-lambda-event-sources' DynamoEventSource):
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html (view types; no record for a write
 * that changes nothing), https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (DynamoDBStreamEvent),
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html (FilterCriteria),
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html (bisect, retries, on-failure record),
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html (checkpoint at the lowest
 * failed sequence number).
 */

/** Puts, updates, puts again unchanged, then deletes the item `id` with the SDK's DynamoDB client. */
const WRITER = `
const { DynamoDBClient, PutItemCommand, UpdateItemCommand, DeleteItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async ({ id }) => {
  const TableName = process.env.TABLE;
  await client.send(new PutItemCommand({ TableName, Item: { pk: { S: id }, status: { S: 'new' } } }));
  await client.send(new UpdateItemCommand({ TableName, Key: { pk: { S: id } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } }));
  await client.send(new PutItemCommand({ TableName, Item: { pk: { S: id }, status: { S: 'paid' } } }));
  await client.send(new DeleteItemCommand({ TableName, Key: { pk: { S: id } } }));
  return 'written';
};`;
const ECHO = 'exports.handler = async (event) => event.Records;';
/** Fails the whole batch when any new image has `poison`. */
const POISONED = 'exports.handler = async (event) => { if (event.Records.some((r) => r.dynamodb.NewImage.poison)) throw new Error("poison"); return event.Records.map((r) => r.dynamodb.Keys.pk.S); };';
/** Reports the records whose new image has `fail` as failed. */
const REPORTS = 'exports.handler = async (event) => ({ batchItemFailures: event.Records.filter((r) => r.dynamodb.NewImage.fail).map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })), keys: event.Records.map((r) => r.dynamodb.Keys.pk.S) });';

let assembly: ProbeAssembly;
let h: Harness;
let client: DynamoDBClient;
const key = { name: 'pk', type: dynamodb.AttributeType.STRING };

beforeAll(async () => {
  assembly = synthesizeProbe((stack) => {
    const orders = new dynamodb.Table(stack, 'Orders', { partitionKey: key, stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES });
    const writer = inlineNodeFunction(stack, 'Writer', WRITER, { environment: { TABLE: orders.tableName } });
    orders.grantReadWriteData(writer);
    inlineNodeFunction(stack, 'AllChanges', ECHO).addEventSource(new DynamoEventSource(orders, { startingPosition: lambda.StartingPosition.TRIM_HORIZON }));
    inlineNodeFunction(stack, 'PaidOnly', ECHO).addEventSource(new DynamoEventSource(orders, {
      startingPosition: lambda.StartingPosition.LATEST,
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('MODIFY'), dynamodb: { NewImage: { status: { S: lambda.FilterRule.isEqual('paid') } } } })],
    }));

    const keysOnly = new dynamodb.Table(stack, 'Keys', { partitionKey: key, stream: dynamodb.StreamViewType.KEYS_ONLY });
    inlineNodeFunction(stack, 'KeysConsumer', ECHO).addEventSource(new DynamoEventSource(keysOnly, { startingPosition: lambda.StartingPosition.LATEST }));

    const payments = new dynamodb.Table(stack, 'Payments', { partitionKey: key, stream: dynamodb.StreamViewType.NEW_IMAGE });
    const failures = new sqs.Queue(stack, 'PaymentFailures');
    inlineNodeFunction(stack, 'Poisoned', POISONED).addEventSource(new DynamoEventSource(payments, {
      startingPosition: lambda.StartingPosition.LATEST, batchSize: 10, bisectBatchOnError: true, retryAttempts: 2, onFailure: new SqsDlq(failures),
    }));

    const ledger = new dynamodb.Table(stack, 'Ledger', { partitionKey: key, stream: dynamodb.StreamViewType.NEW_IMAGE });
    inlineNodeFunction(stack, 'Reporter', REPORTS).addEventSource(new DynamoEventSource(ledger, {
      startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 1, reportBatchItemFailures: true,
    }));
  });
  h = await startHarness(assembly.directory, new Date('2026-12-01T10:00:00Z'));
  client = new DynamoDBClient({ endpoint: h.runner.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await h?.runner.close();
  assembly?.remove();
});

const tableName = (displayName: string) => h.runner.model.tables.find((t) => t.displayName === displayName)!.tableName;

async function batchWrite(table: string, items: Array<Record<string, unknown>>): Promise<void> {
  await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName(table)]: items.map((Item) => ({ PutRequest: { Item: Item as never } })) } }));
  await h.runner.settled();
}

test('NEW_AND_OLD_IMAGES: a handler\'s put, update, unchanged put and delete are INSERT, MODIFY, REMOVE with their images', async () => {
  expect((await h.runner.invoke('Writer', { id: 'o-1' })).payload).toBe('written');
  await h.runner.settled();
  const records = h.invocationsOf('AllChanges').flatMap((r) => r.result.payload as Array<Record<string, any>>);
  expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
  const streamArn = h.runner.model.tables.find((t) => t.displayName === 'Orders')!.streamArn;
  expect(records[1]).toEqual({
    eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: Date.parse('2026-12-01T10:00:00Z') / 1000,
      Keys: { pk: { S: 'o-1' } },
      NewImage: { pk: { S: 'o-1' }, status: { S: 'paid' } },
      OldImage: { pk: { S: 'o-1' }, status: { S: 'new' } },
      SequenceNumber: expect.stringMatching(/^\d+$/),
      SizeBytes: expect.any(Number),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: streamArn,
  });
  expect(records[0].dynamodb.OldImage).toBeUndefined();
  expect(records[2].dynamodb).toMatchObject({ OldImage: { status: { S: 'paid' } } });
  expect(records[2].dynamodb.NewImage).toBeUndefined();
  expect(BigInt(records[2].dynamodb.SequenceNumber)).toBeGreaterThan(BigInt(records[1].dynamodb.SequenceNumber));
  // The filtered mapping on the same stream sees only the MODIFY to "paid".
  const paid = h.invocationsOf('PaidOnly').flatMap((r) => r.result.payload as Array<Record<string, any>>);
  expect(paid.map((r) => [r.eventName, r.dynamodb.NewImage.status.S])).toEqual([['MODIFY', 'paid']]);
});

test('KEYS_ONLY records carry the keys alone', async () => {
  await client.send(new PutItemCommand({ TableName: tableName('Keys'), Item: { pk: { S: 'k-1' }, secret: { S: 'not streamed' } } }));
  await h.runner.settled();
  const [record] = h.invocationsOf('KeysConsumer').flatMap((r) => r.result.payload as Array<Record<string, any>>);
  expect(record.dynamodb).toEqual({ ApproximateCreationDateTime: expect.any(Number), Keys: { pk: { S: 'k-1' } }, SequenceNumber: expect.any(String), SizeBytes: expect.any(Number), StreamViewType: 'KEYS_ONLY' });
});

test('BisectBatchOnFunctionError with 2 retries isolates the poison record; its batch info goes to the on-failure queue', async () => {
  await batchWrite('Payments', ['p1', 'p2', 'p3', 'p4'].map((id) => ({ pk: { S: id }, ...(id === 'p3' ? { poison: { BOOL: true } } : {}) })));
  const calls = h.invocationsOf('Poisoned').map((r) => (r.result.error ? `error` : (r.result.payload as string[]).join(',')));
  // [p1..p4] fails, split: [p1,p2] ok, [p3,p4] fails, split: [p3] fails with its retries spent, [p4] ok.
  expect(calls).toEqual(['error', 'p1,p2', 'error', 'error', 'p4']);
  const [failure] = h.runner.queues.list('PaymentFailures');
  const record = JSON.parse(failure.body);
  expect(record).toMatchObject({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3, functionArn: expect.stringContaining(':function:') },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    DDBStreamBatchInfo: { batchSize: 1, streamArn: h.runner.model.tables.find((t) => t.displayName === 'Payments')!.streamArn },
  });
  expect(record.DDBStreamBatchInfo.startSequenceNumber).toBe(record.DDBStreamBatchInfo.endSequenceNumber);
});

test('ReportBatchItemFailures: the retry starts at the lowest failed sequence number, after a backoff', async () => {
  await batchWrite('Ledger', [{ pk: { S: 'l1' } }, { pk: { S: 'l2' }, fail: { BOOL: true } }, { pk: { S: 'l3' } }]);
  expect(h.invocationsOf('Reporter').map((r) => (r.result.payload as { keys: string[] }).keys)).toEqual([['l1', 'l2', 'l3']]);
  await h.advance(1_000);
  expect(h.invocationsOf('Reporter').map((r) => (r.result.payload as { keys: string[] }).keys)).toEqual([['l1', 'l2', 'l3'], ['l2', 'l3']]);
  // Retries (1) spent: skipped without a destination; the next write goes through alone.
  await batchWrite('Ledger', [{ pk: { S: 'l4' } }]);
  expect(h.invocationsOf('Reporter').map((r) => (r.result.payload as { keys: string[] }).keys).slice(2)).toEqual([['l4']]);
  expect(h.lines.some((l) => l.includes('no on-failure destination, skipped'))).toBe(true);
});
