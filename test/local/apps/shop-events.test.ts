import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareApp, PreparedApp, RunningApp } from '../conformance/support/packed-runner';

/*
 * An HTTP API that puts events on a custom bus with the AWS SDK's EventBridge client, a rule that records them
 * in DynamoDB, and an EventBridge Scheduler schedule (the aws-scheduler L2 and its LambdaInvoke target) on a
 * daily report (apps/shop-events), run unmodified by the packed CLI.
 *
 * HTTP API payload 2.0, a response without statusCode is 200 with the value as JSON:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * PutEvents answers each entry's EventId, and the rule's target receives the event with that id:
 *   https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * Scheduler cron expressions are evaluated in UTC unless a time zone is set; the target gets the schedule's Input:
 *   https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

let app: PreparedApp;
let runner: RunningApp;
let api: string;

beforeAll(async () => {
  app = await prepareApp(path.join(__dirname, 'shop-events'));
  runner = await app.start();
  api = runner.apis['ShopApi'];
});
afterAll(() => app?.remove());

const placed: string[] = [];

/** Puts an event no rule matches and waits for its log line. */
async function putMarker(name: string): Promise<void> {
  const put = await fetch(`${runner.eventsUrl}/events`, { method: 'POST', body: JSON.stringify({ source: 'test.marker', 'detail-type': name, detail: {} }) });
  expect(put.status).toBe(200);
  await runner.waitForLine(new RegExp(`event test\\.marker "${name}"`));
}

async function placeOrder(items: unknown): Promise<Response> {
  return fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items }) });
}

test('an order placed over HTTP goes out as an event, the rule target records it, and it reads back with the same event id', async () => {
  const accepted = await placeOrder([{ sku: 'lamp', quantity: 2 }, { sku: 'bulb', quantity: 3 }]);
  expect(accepted.status).toBe(202);
  const { orderId, eventId } = (await accepted.json()) as { orderId: string; eventId: string };
  expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
  placed.push(orderId);

  await runner.waitForLine(new RegExp(`recorded order ${orderId}`), 'the rule target recording the order');
  const read = await fetch(`${api}/orders/${orderId}`);
  expect(read.status).toBe(200);
  expect(read.headers.get('content-type')).toBe('application/json');
  const order = (await read.json()) as { orderId: string; units: number; eventId: string; placedAt: string };
  expect(order).toEqual({ orderId, units: 5, eventId, placedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
});

test('a malformed order is the handler\'s 400 and puts no event; an unknown order is 404', async () => {
  const orderEvents = () => runner.lines.filter((l) => /event shop\.orders "OrderPlaced"/.test(l)).length;
  const before = orderEvents();
  const refused = await placeOrder([{ sku: 'lamp', quantity: 0 }]);
  expect([refused.status, await refused.json()]).toEqual([400, { message: 'items must be a non-empty array of { sku, quantity > 0 }' }]);
  // The runner logs events in the order they are put: once a later event's line is there, so would be this one's.
  await putMarker('after-refused-order');
  expect(orderEvents()).toBe(before);
  expect((await fetch(`${api}/orders/nope`)).status).toBe(404);
});

test('the start-up report suggests an event for the rule and says that what RecordOrder expects in detail is not known', () => {
  const at = runner.report.indexOf(`curl -X POST ${runner.eventsUrl}/events -d '{"source":"shop.orders","detail-type":"OrderPlaced","bus":"shop","detail":{}}'`);
  expect(at).toBeGreaterThan(0);
  expect(runner.report.slice(at).split('\n')[1]).toBe('      (rule OrderPlacedRule -> RecordOrder: the rule\'s pattern says nothing about "detail", so what RecordOrder expects in it is not known here; fill it in)');
});

test('an event the rule does not match reaches no target', async () => {
  const put = await app.runToExit(['put-events', '--url', runner.eventsUrl, '--bus', 'shop', '--source', 'shop.orders', '--detail-type', 'OrderCancelled', '--detail', '{"orderId":"o-1"}']);
  expect([put.code, JSON.parse(put.stdout)]).toEqual([0, { FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] }]);
  await runner.waitForLine(/event shop\.orders "OrderCancelled" matched 0 rule\(s\)/);
});

test('the schedule is listed with its next run (06:00 UTC); its target, invoked with the schedule\'s input, counts the orders', async () => {
  const line = runner.report.split('\n').find((l) => l.includes('DailyReportSchedule'));
  expect(line).toMatch(/cron\(0 6 \* \* \? \*\) in Etc\/UTC, next (\S+)/); // the schedule's ScheduleExpressionTimezone
  const next = Date.parse(/next (\S+)/.exec(line!)![1]);
  expect(new Date(next).toISOString()).toMatch(/T06:00:00\.000Z$/);
  expect(next).toBeGreaterThan(Date.now() - 60_000);
  expect(next).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);

  // What Scheduler sends: the Target.Input of the synthesized schedule.
  const template = JSON.parse(fs.readFileSync(path.join(app.assembly, 'ShopEvents.template.json'), 'utf8'));
  const schedule = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Scheduler::Schedule');
  const input = JSON.parse(schedule.Properties.Target.Input);
  expect(input).toEqual({ report: 'daily' });
  const report = await runner.invoke('DailyReport', input);
  expect(report).toEqual({ status: 200, payload: { report: 'daily', orders: placed.length } });
});
