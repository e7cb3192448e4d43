import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const dynamodb = new DynamoDBClient({});

export const handler = async (event: APIGatewayProxyEventV2) => {
  const orderId = event.pathParameters?.orderId ?? '';
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: process.env.ORDERS_TABLE, Key: { orderId: { S: orderId } }, ConsistentRead: true }));
  if (!Item) return { statusCode: 404, body: JSON.stringify({ message: `no order ${orderId}` }) };
  return { orderId, units: Number(Item.units.N), eventId: Item.eventId.S, placedAt: Item.placedAt.S };
};
