import type { EventBridgeEvent } from 'aws-lambda';
import { handler as nightlyReport } from '../../bin/handlers/nightly-report';
import { handler as processOrder, OrderPlaced } from '../../bin/handlers/process-order';

function orderEvent(detail: unknown): EventBridgeEvent<'OrderPlaced', OrderPlaced> {
  return {
    'id': 'e-1',
    'version': '0',
    'account': '123456789012',
    'time': '2026-11-26T10:00:00Z',
    'region': 'eu-west-1',
    'resources': [],
    'source': 'example.orders',
    'detail-type': 'OrderPlaced',
    'detail': detail as OrderPlaced,
  };
}

describe('example handlers behind the event entry points', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  afterAll(() => log.mockRestore());

  test('process-order counts the units of a placed order and logs one JSON line', async () => {
    await expect(processOrder(orderEvent({ orderId: 'o-1', items: [{ sku: 'a', quantity: 2 }, { sku: 'b', quantity: 3 }] }))).resolves.toEqual({ orderId: 'o-1', units: 5 });
    expect(JSON.parse(log.mock.calls.at(-1)![0])).toEqual({ message: 'order processed', orderId: 'o-1', units: 5, eventId: 'e-1' });
  });

  test('process-order throws on a malformed event, so Lambda retries it and keeps it in the failure queue', async () => {
    await expect(processOrder(orderEvent({ items: [] }))).rejects.toThrow('OrderPlaced event e-1 has no orderId or items');
    await expect(processOrder(orderEvent(undefined))).rejects.toThrow('has no orderId or items');
    await expect(processOrder(orderEvent({ orderId: 'o-1', items: 'a' }))).rejects.toThrow('has no orderId or items');
  });

  test('process-order takes an order without items as an empty order (the event the local runner suggests)', async () => {
    await expect(processOrder(orderEvent({ orderId: 'o-2' }))).resolves.toEqual({ orderId: 'o-2', units: 0 });
  });

  test('nightly-report reports on the previous UTC day of the scheduled time', async () => {
    await expect(nightlyReport({ time: '2026-03-01T01:00:00Z' })).resolves.toEqual({ day: '2026-02-28' });
    await expect(nightlyReport({ time: '2026-01-01T00:30:00Z' })).resolves.toEqual({ day: '2025-12-31' });
  });
});
