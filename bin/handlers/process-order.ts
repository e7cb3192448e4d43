import type { EventBridgeEvent } from 'aws-lambda';

/** The detail of an `OrderPlaced` event from `example.orders`. */
export interface OrderPlaced {
  readonly orderId: string;
  readonly items?: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
}

/**
 * Processes one placed order. A malformed event (no orderId, items that are not a list) throws, so Lambda's
 * async retries and then the function's failed-event queue keep it instead of dropping it silently. An order
 * without items is a placed order with nothing in it.
 */
export const handler = async (event: EventBridgeEvent<'OrderPlaced', OrderPlaced>): Promise<{ orderId: string; units: number }> => {
  const { orderId, items = [] } = event.detail ?? ({} as Partial<OrderPlaced>);
  if (typeof orderId !== 'string' || !Array.isArray(items)) {
    throw new Error(`OrderPlaced event ${event.id} has no orderId or items`);
  }
  const units = items.reduce((sum, item) => sum + item.quantity, 0);
  console.log(JSON.stringify({ message: 'order processed', orderId, units, eventId: event.id }));
  return { orderId, units };
};
