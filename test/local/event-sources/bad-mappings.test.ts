import { startLocalRunner } from '../../../lib/local/runner';
import { inlineFunction, writeAssembly } from '../support/handmade-assembly';

/* A mapping the runner cannot poll stops the start with a message naming it, before anything is started. */

const mapping = (props: Record<string, unknown>) => ({ Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Fn' }, ...props } });

test.each([
  ['a Kinesis stream', { EventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks', StartingPosition: 'LATEST' }, /event source mapping Mapping: arn:aws:kinesis:.*stream\/clicks is not an SQS queue or DynamoDB stream/],
  ['a queue the app does not have', { EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:elsewhere' }, /event source mapping Mapping: the queue arn:aws:sqs:us-east-1:123456789012:elsewhere is not part of the app/],
  ['a table without a stream', { EventSourceArn: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/stream/2020']] }, StartingPosition: 'LATEST' }, /is not the stream of a table of the app with a StreamSpecification/],
  ['a filter with a matcher Lambda does not have', { EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, FilterCriteria: { Filters: [{ Pattern: '{"body":{"n":[{"between":[1,2]}]}}' }] } }, /unsupported matcher \{"between":\[1,2\]\} at event source mapping Mapping FilterCriteria\.Filters\[0\]\.Pattern\.body\.n/],
])('%s', async (_what, props, message) => {
  const assembly = writeAssembly({
    Stack: {
      Resources: {
        Fn: inlineFunction('hi'),
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
        Mapping: mapping(props),
      },
    },
  });
  try {
    await expect(startLocalRunner({ assembly: assembly.directory, port: 0, log: () => undefined })).rejects.toThrow(message);
  } finally {
    assembly.remove();
  }
});
