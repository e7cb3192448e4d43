import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { documents, PRIMARY_KEY, reply, TABLE_NAME } from './table';

export const handler = async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id;
  if (!id) return reply(400, { message: 'the path needs an item id' });
  const { Item } = await documents.send(new GetCommand({ TableName: TABLE_NAME, Key: { [PRIMARY_KEY]: id } }));
  return Item ? reply(200, Item) : reply(404, { message: `no item ${id}` });
};
