import { jsonPath, targetInput } from '../../../lib/local/events/target-input';
import type { TargetSpec } from '../../../lib/local/model/specs';

const event = { id: 'e-1', source: 'shop', 'detail-type': 'OrderPlaced', detail: { orderId: 'o-1', total: 12.5, items: [{ sku: 'a' }] } };
const target = (extra: Partial<TargetSpec>): TargetSpec => ({ id: 't', arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', maximumRetryAttempts: 0, maximumEventAgeSeconds: 60, ...extra });

describe('what a target receives', () => {
  test('the event itself, a fixed Input, or the part InputPath selects', () => {
    expect(targetInput(target({}), event)).toBe(event);
    expect(targetInput(target({ input: '{"fixed":true}' }), event)).toEqual({ fixed: true });
    expect(targetInput(target({ inputPath: '$.detail' }), event)).toEqual(event.detail);
    expect(jsonPath(event, '$.detail.items[0].sku')).toBe('a');
    expect(jsonPath(event, '$.detail.missing.deeper')).toBeUndefined();
  });

  test('an input transformer fills a JSON template (strings inside quotes, other values as JSON) or a text template', () => {
    const json = targetInput(target({ inputTransformer: { inputPathsMap: { order: '$.detail.orderId', total: '$.detail.total' }, inputTemplate: '{"order": "<order>", "total": <total>, "raw": <aws.events.event.json>}' } }), event);
    expect(json).toEqual({ order: 'o-1', total: 12.5, raw: event });
    const text = targetInput(target({ inputTransformer: { inputPathsMap: { order: '$.detail.orderId' }, inputTemplate: 'Order <order> placed' } }), event);
    expect(text).toBe('Order o-1 placed');
  });
});
