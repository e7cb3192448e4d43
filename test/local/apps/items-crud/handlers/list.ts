import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documents, reply, TABLE_NAME } from './table';

export const handler = async () => {
  const items: Record<string, unknown>[] = [];
  let from: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: TABLE_NAME, ExclusiveStartKey: from }));
    items.push(...(page.Items ?? []));
    from = page.LastEvaluatedKey;
  } while (from);
  return reply(200, items);
};
