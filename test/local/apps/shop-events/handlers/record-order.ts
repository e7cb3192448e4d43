import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';

const dynamodb = new DynamoDBClient({});

type OrderPlaced = { orderId: string; items: Array<{ sku: string; quantity: number }> };

export const handler = async (event: EventBridgeEvent<'OrderPlaced', OrderPlaced>) => {
  const { orderId, items } = event.detail;
  await dynamodb.send(new PutItemCommand({
    TableName: process.env.ORDERS_TABLE,
    Item: {
      orderId: { S: orderId },
      units: { N: String(items.reduce((sum, i) => sum + i.quantity, 0)) },
      eventId: { S: event.id },
      placedAt: { S: event.time },
    },
  }));
  console.log(`recorded order ${orderId}`);
};
