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

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
describe('input templates as EventBridge fills them', () => {
  const rule = { name: 'orders-rule', arn: 'arn:aws:events:us-east-1:123456789012:rule/orders-rule', ingestedAt: Date.parse('2026-11-26T07:58:00.000Z') };
  const transform = (inputPathsMap: Record<string, string>, inputTemplate: string) => targetInput(target({ inputTransformer: { inputPathsMap, inputTemplate } }), event, rule);

  test('outside quotes a string becomes a JSON string (quoted and escaped); numbers, arrays and objects go in as JSON', () => {
    const quoted = { ...event, 'detail-type': 'Order "big" placed' };
    const out = targetInput(target({ inputTransformer: { inputPathsMap: { t: '$.detail-type', total: '$.detail.total', items: '$.detail.items' }, inputTemplate: '{"t": <t>, "mix": [9, <t>, true], "total": <total>, "items": <items>}' } }), quoted, rule);
    expect(out).toEqual({ t: 'Order "big" placed', mix: [9, 'Order "big" placed', true], total: 12.5, items: [{ sku: 'a' }] });
  });

  test('inside quotes a string goes in as it is', () => {
    expect(transform({ id: '$.detail.orderId', total: '$.detail.total' }, '{"text": "order <id> of <total>"}')).toEqual({ text: 'order o-1 of 12.5' });
    expect(transform({ id: '$.detail.orderId' }, '"order <id> placed"')).toBe('order o-1 placed');
  });

  test('booleans and null from the event stay JSON values', () => {
    const flags = { ...event, detail: { paid: false, note: null } };
    const out = targetInput(target({ inputTransformer: { inputPathsMap: { paid: '$.detail.paid', note: '$.detail.note' }, inputTemplate: '{"paid": <paid>, "note": <note>}' } }), flags, rule);
    expect(out).toEqual({ paid: false, note: null });
  });

  test('reserved placeholders: rule name and ARN, ingestion time, the event without and with its detail', () => {
    const out = transform({}, '{"name": <aws.events.rule-name>, "arn": <aws.events.rule-arn>, "at": <aws.events.event.ingestion-time>, "e": <aws.events.event>, "full": <aws.events.event.json>}') as Record<string, unknown>;
    expect(out).toEqual({ name: rule.name, arn: rule.arn, at: '2026-11-26T07:58:00.000Z', e: { id: 'e-1', source: 'shop', 'detail-type': 'OrderPlaced' }, full: event });
    expect(transform({}, '"<aws.events.rule-name> triggered"')).toBe('orders-rule triggered');
  });

  test('a path the event lacks does not appear: nothing inside quotes, null where JSON needs a value', () => {
    expect(transform({ gone: '$.detail.missing' }, '{"a": <gone>, "b": "x<gone>y"}')).toEqual({ a: null, b: 'xy' });
  });
});
