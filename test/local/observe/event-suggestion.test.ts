import { matchesPattern } from '../../../lib/local/events/event-pattern';
import { execFileSync } from 'node:child_process';
import { shellQuoted, suggestEvent } from '../../../lib/local/observe/event-suggestion';
import type { RuleSpec } from '../../../lib/local/model/specs';

/*
 * The event the runner suggests at start for each rule is built from the rule's pattern, and the rule must
 * match it. Content filters: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */

const SAMPLE = { account: '123456789012', region: 'us-east-1' };

function rule(pattern: Record<string, unknown>, busName = 'orders'): RuleSpec {
  return { logicalId: 'R', displayName: 'Orders/R', name: 'r', arn: 'arn:aws:events:us-east-1:123456789012:rule/orders/r', busName, pattern, enabled: true, targets: [] };
}

/** The suggested body as the bus delivers it: what the rule's pattern is matched against. */
function delivered(body: Record<string, unknown>) {
  const { bus: _bus, ...fields } = body;
  return { version: '0', id: 'x', account: SAMPLE.account, time: '2026-01-01T00:00:00Z', region: SAMPLE.region, resources: [], ...fields };
}

test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
  ['literal values', { orderId: ['o-7', 'o-8'], express: [true] }, { orderId: 'o-7', express: true }],
  ['prefix and suffix', { orderId: [{ prefix: 'o-' }], file: [{ suffix: '.png' }] }, { orderId: 'o-1', file: 'example.png' }],
  ['numeric ranges', { total: [{ numeric: ['>', 100] }], count: [{ numeric: ['>', 0, '<=', 5] }], exact: [{ numeric: ['=', 3] }], below: [{ numeric: ['<', 10] }] }, { total: 101, count: 1, exact: 3, below: 9 }],
  ['a half-open range narrower than 1', { ratio: [{ numeric: ['>', 0, '<', 1] }] }, { ratio: 0.5 }],
  ['exists', { customer: [{ exists: true }], coupon: [{ exists: false }] }, { customer: 'example' }],
  ['anything-but', { state: [{ 'anything-but': ['example', 'cancelled'] }], code: [{ 'anything-but': [1, 2] }] }, { state: 'example1', code: 3 }],
  ['equals-ignore-case and wildcard', { region: [{ 'equals-ignore-case': 'EU' }], key: [{ wildcard: 'logs/*.txt' }] }, { region: 'EU', key: 'logs/x.txt' }],
  ['nested objects', { customer: { tier: ['gold'], address: { country: ['FR'] } } }, { customer: { tier: 'gold', address: { country: 'FR' } } }],
  ['$or: the first branch', { $or: [{ priority: ['high'] }, { total: [{ numeric: ['>', 1000] }] }] }, { priority: 'high' }],
])('%s: the detail holds values the pattern accepts, and the rule matches the event', (_name, detailPattern, detail) => {
  const r = rule({ source: ['shop'], 'detail-type': ['OrderPlaced'], detail: detailPattern });
  const suggested = suggestEvent(r, SAMPLE)!;
  expect(suggested).toEqual({ body: { source: 'shop', 'detail-type': 'OrderPlaced', bus: 'orders', detail }, detailFromPattern: true });
  expect(matchesPattern(r.pattern!, delivered(suggested.body))).toBe(true);
});

test('a pattern that says nothing about detail gives an empty detail, and says so', () => {
  const suggested = suggestEvent(rule({ source: ['example.orders'], 'detail-type': ['OrderPlaced'] }, 'default'), SAMPLE)!;
  expect(suggested).toEqual({ body: { source: 'example.orders', 'detail-type': 'OrderPlaced', detail: {} }, detailFromPattern: false });
});

test('source and detail-type the pattern leaves open get placeholder values; resources come from the pattern', () => {
  const r = rule({ resources: ['arn:aws:s3:::photos'], detail: { size: [{ numeric: ['>=', 10] }] } });
  const suggested = suggestEvent(r, SAMPLE)!;
  expect(suggested.body).toEqual({ source: 'example.source', 'detail-type': 'Example', bus: 'orders', resources: ['arn:aws:s3:::photos'], detail: { size: 10 } });
  expect(matchesPattern(r.pattern!, delivered(suggested.body))).toBe(true);
});

test('no suggestion when no PutEvents entry can match: the pattern wants an account other than the app\'s', () => {
  expect(suggestEvent(rule({ source: ['shop'], account: ['999999999999'] }), SAMPLE)).toBeUndefined();
  expect(suggestEvent(rule({ source: ['shop'], account: ['123456789012'] }), SAMPLE)).toBeDefined();
});

test('the suggested body is one shell word, whatever quotes the pattern\'s values hold', () => {
  const body = JSON.stringify(suggestEvent(rule({ source: ['shop'], detail: { customer: ["O'Brien"], note: ['say "hi"'] } }), SAMPLE)!.body);
  expect(execFileSync('sh', ['-c', `printf %s ${shellQuoted(body)}`], { encoding: 'utf8' })).toBe(body);
});
