import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { v4 as uuid } from 'uuid';
import { attributesOf, documents, PRIMARY_KEY, reply, TABLE_NAME } from './table';

export const handler = async (event: APIGatewayProxyEvent) => {
  const attributes = attributesOf(event.body);
  if (!attributes) return reply(400, { message: 'the body must be a JSON object of the item attributes' });
  const item = { ...attributes, [PRIMARY_KEY]: uuid() };
  await documents.send(new PutCommand({ TableName: TABLE_NAME, Item: item }));
  return reply(201, item);
};
