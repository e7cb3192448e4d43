import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

const dynamodb = new DynamoDBClient({});

/** The schedule's input names the report; the answer counts the orders recorded so far. */
export const handler = async (input: { report?: string }) => {
  let orders = 0;
  let from: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: process.env.ORDERS_TABLE, Select: 'COUNT', ExclusiveStartKey: from }));
    orders += page.Count ?? 0;
    from = page.LastEvaluatedKey;
  } while (from);
  console.log(`${input.report ?? 'unnamed'} report: ${orders} orders`);
  return { report: input.report, orders };
};
