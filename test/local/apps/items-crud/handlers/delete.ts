import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { documents, PRIMARY_KEY, reply, TABLE_NAME } from './table';

export const handler = async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id;
  if (!id) return reply(400, { message: 'the path needs an item id' });
  try {
    await documents.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { [PRIMARY_KEY]: id }, ConditionExpression: 'attribute_exists(#key)', ExpressionAttributeNames: { '#key': PRIMARY_KEY } }));
    return reply(204);
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return reply(404, { message: `no item ${id}` });
    throw err;
  }
};
