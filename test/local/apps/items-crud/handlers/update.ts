import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { attributesOf, documents, PRIMARY_KEY, reply, TABLE_NAME } from './table';

export const handler = async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id;
  const attributes = attributesOf(event.body);
  if (!id) return reply(400, { message: 'the path needs an item id' });
  const changes = Object.entries(attributes ?? {}).filter(([name]) => name !== PRIMARY_KEY);
  if (changes.length === 0) return reply(400, { message: 'the body must be a JSON object with at least one attribute to change' });
  try {
    const { Attributes } = await documents.send(new UpdateCommand({
      TableName: TABLE_NAME,
      Key: { [PRIMARY_KEY]: id },
      UpdateExpression: `SET ${changes.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: { ...Object.fromEntries(changes.map(([name], i) => [`#a${i}`, name])), '#key': PRIMARY_KEY },
      ExpressionAttributeValues: Object.fromEntries(changes.map(([, value], i) => [`:v${i}`, value])),
      ConditionExpression: 'attribute_exists(#key)',
      ReturnValues: 'ALL_NEW',
    }));
    return reply(200, Attributes);
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return reply(404, { message: `no item ${id}` });
    throw err;
  }
};
