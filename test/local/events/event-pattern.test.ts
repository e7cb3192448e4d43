import { matchesPattern, validatePattern } from '../../../lib/local/events/event-pattern';

const event = {
  source: 'example.orders', 'detail-type': 'OrderPlaced', resources: ['arn:a', 'arn:b'],
  detail: { orderId: 'o-17', total: 120.5, currency: 'EUR', region: 'eu-west-1', tags: ['gift', 'express'], nested: { flag: true }, note: null },
};

describe('EventBridge event patterns', () => {
  test.each([
    ['exact values', { source: ['example.orders'], 'detail-type': ['OrderPlaced', 'OrderCancelled'] }, true],
    ['exact value that differs', { source: ['other'] }, false],
    ['nested objects', { detail: { nested: { flag: [true] } } }, true],
    ['prefix', { detail: { orderId: [{ prefix: 'o-' }] } }, true],
    ['prefix that differs', { detail: { orderId: [{ prefix: 'x-' }] } }, false],
    ['suffix', { detail: { region: [{ suffix: '-1' }] } }, true],
    ['anything-but a value', { detail: { currency: [{ 'anything-but': 'USD' }] } }, true],
    ['anything-but a list that holds the value', { detail: { currency: [{ 'anything-but': ['USD', 'EUR'] }] } }, false],
    ['anything-but a prefix', { detail: { region: [{ 'anything-but': { prefix: 'us-' } }] } }, true],
    ['numeric range inside', { detail: { total: [{ numeric: ['>', 100, '<=', 200] }] } }, true],
    ['numeric range outside', { detail: { total: [{ numeric: ['<', 100] }] } }, false],
    ['numeric on a string', { detail: { currency: [{ numeric: ['>', 0] }] } }, false],
    ['exists true', { detail: { orderId: [{ exists: true }] } }, true],
    ['exists false on a missing field', { detail: { coupon: [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { orderId: [{ exists: false }] } }, false],
    ['a field missing from the event', { detail: { coupon: ['X'] } }, false],
    ['an array field matches when any element does', { detail: { tags: ['express'] } }, true],
    ['equals-ignore-case', { detail: { currency: [{ 'equals-ignore-case': 'eur' }] } }, true],
    ['wildcard', { detail: { orderId: [{ wildcard: 'o-*7' }] } }, true],
    ['null', { detail: { note: [null] } }, true],
    ['$or: one alternative matches', { detail: { $or: [{ currency: ['USD'] }, { total: [{ numeric: ['>', 100] }] }] } }, true],
    ['$or: none matches', { detail: { $or: [{ currency: ['USD'] }, { total: [{ numeric: ['<', 1] }] }] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern as Record<string, unknown>, event)).toBe(expected);
  });

  test('an unsupported matcher is a clear error', () => {
    expect(() => validatePattern({ detail: { ip: [{ cidr: '10.0.0.0/8' }] } })).toThrow(/unsupported matcher \{"cidr":"10.0.0.0\/8"\} at pattern.detail.ip/);
    expect(() => validatePattern({ source: 'example.orders' })).toThrow(/must be an array or an object/);
    expect(() => matchesPattern({ source: 'example.orders' }, event)).toThrow(/must be an array or an object/);
    expect(() => validatePattern({ detail: { $or: [{ a: ['x'] }, { b: [{ numeric: ['>', 1] }] }] } })).not.toThrow();
  });
});
