import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const eventBridge = new EventBridgeClient({});

interface OrderLine {
  sku: string;
  quantity: number;
}

function linesOf(body: string | undefined): OrderLine[] | undefined {
  try {
    const lines = (JSON.parse(body ?? '') as { items?: unknown }).items;
    const valid = Array.isArray(lines) && lines.length > 0
      && lines.every((l) => typeof l?.sku === 'string' && Number.isInteger(l?.quantity) && l.quantity > 0);
    return valid ? (lines as OrderLine[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Accepts an order and announces it on the shop's bus; recording it is the rule target's job. */
export const handler = async (event: APIGatewayProxyEventV2) => {
  const items = linesOf(event.body);
  if (!items) return { statusCode: 400, body: JSON.stringify({ message: 'items must be a non-empty array of { sku, quantity > 0 }' }) };
  const orderId = randomUUID();
  const out = await eventBridge.send(new PutEventsCommand({
    Entries: [{ EventBusName: process.env.BUS_NAME, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ orderId, items }) }],
  }));
  if (out.FailedEntryCount) {
    return { statusCode: 502, body: JSON.stringify({ message: `the order event was refused: ${out.Entries?.[0]?.ErrorCode}` }) };
  }
  return { statusCode: 202, body: JSON.stringify({ orderId, eventId: out.Entries?.[0]?.EventId }) };
};
