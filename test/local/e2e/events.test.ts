import { exampleWorld } from '../support/example-world';
import type { Harness } from '../support/runner-harness';
import { call } from '../support/http-client';

const world = exampleWorld();
const harness = (start: Date): Promise<Harness> => world.harness(start);
/** Thursday 07:58 UTC: the business-hours warmer (cron 0/5 8-17 MON-FRI) is due at 08:00. */
const THURSDAY_MORNING = new Date('2026-11-26T07:58:00Z');

describe('EventBridge rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(THURSDAY_MORNING);
  });

  test('an OrderPlaced event put through the events endpoint reaches the order processor', async () => {
    const rule = h.runner.model.rules.find((r) => JSON.stringify(r.pattern ?? {}).includes('example.orders'))!;
    const reply = await fetch(`${h.runner.eventsUrl}/events`, {
      method: 'POST',
      body: JSON.stringify({ source: 'example.orders', 'detail-type': 'OrderPlaced', bus: rule.busName, detail: { orderId: 'o-1', items: [{ sku: 'a', quantity: 2 }, { sku: 'b', quantity: 3 }] } }),
    });
    expect(((await reply.json()) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
    await h.runner.settled();
    const processed = h.invocationsOf('ProcessOrder');
    expect(processed).toHaveLength(1);
    expect(processed[0].result.payload).toEqual({ orderId: 'o-1', units: 5 });
    expect(processed[0].trigger).toBe(`rule ${rule.displayName}`);
  });

  test('the AWS PutEvents protocol works too; events that match no rule reach nothing; an unknown bus fails its entry', async () => {
    const before = h.records.length;
    const reply = await fetch(h.runner.eventsUrl, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ Entries: [
        { Source: 'example.orders', DetailType: 'OrderCancelled', Detail: '{}', EventBusName: h.runner.model.rules.find((r) => r.pattern)!.busName },
        { Source: 'x', DetailType: 'y', Detail: '{}', EventBusName: 'no-such-bus' },
      ] }),
    });
    const body = (await reply.json()) as { FailedEntryCount: number; Entries: unknown[] };
    expect(body.FailedEntryCount).toBe(1);
    expect(body.Entries[1]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
    await h.runner.settled();
    expect(h.records.length).toBe(before);
  });

  test('a failing processor is retried per its async config, then its failure lands in the on-failure queue; an undeliverable target is retried and dead-lettered', async () => {
    const bus = h.runner.model.buses.find((b) => b.includes('FixtureBus'))!;
    const miss = h.runner.putEvents([{ Source: 'fixture.shop', DetailType: 'Broken', Detail: JSON.stringify({ total: 50 }), EventBusName: bus }]);
    const hit = h.runner.putEvents([{ Source: 'fixture.shop', DetailType: 'Broken', Detail: JSON.stringify({ total: 150 }), EventBusName: bus }]);
    expect([miss.FailedEntryCount, hit.FailedEntryCount]).toEqual([0, 0]);
    await h.runner.settled();
    expect(h.invocationsOf('FailingProcessor')).toHaveLength(1);
    // Lambda retries an async failure after 1 minute (retryAttempts: 1); EventBridge backs off 1 s, 2 s for the missing target.
    await h.advance(61_000, 1000);
    const attempts = h.invocationsOf('FailingProcessor');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    const failures = h.runner.queues.list('ProcessorFailures');
    expect(failures).toHaveLength(1);
    const record = JSON.parse(failures[0].body);
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 2 });
    expect(record.requestPayload.detail).toEqual({ total: 150 });
    expect(record.responsePayload.errorMessage).toContain('processor failed');
    const dead = h.runner.queues.list('RuleDeadLetters');
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0].body).detail).toEqual({ total: 150 });
    expect(dead[0].attributes.TARGET_ARN).toContain(':function:gone');
    expect(h.lines.some((l) => l.includes('dead-lettered'))).toBe(true);
  });
});

describe('schedules on the virtual clock', () => {
  test('the warmer fires at 08:00 and keeps 10 Quote environments warm: a burst of 10 requests sees no cold start', async () => {
    const h = await harness(THURSDAY_MORNING);
    const quote = h.runner.functions.resolve('Quote', 'live')!;
    expect(quote.pool.stats.environments).toBe(0);
    await h.advance(2 * 60_000 + 30_000);
    const warmer = h.invocationsOf('ResilientWarmer');
    expect(warmer).toHaveLength(1);
    expect(warmer[0].trigger).toMatch(/^rule Quote\/Warming-BusinessHours/);
    const summary = warmer[0].result.payload as { targets: Array<{ requested: number; distinct: number }> };
    expect(summary.targets[0]).toMatchObject({ requested: 10, distinct: 10 });
    expect(quote.pool.stats).toMatchObject({ environments: 10, idle: 10 });
    expect(h.lines.some((l) => /warmer Quote:live: 10\/10 distinct environments warm/.test(l))).toBe(true);

    const before = h.invocationsOf('Quote').length;
    const replies = await Promise.all(Array.from({ length: 10 }, () => call(`${h.api('HttpApi/HttpApi')}/quote`)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(replies[0].json()).toEqual({ price: 42, currency: 'EUR' });
    const burst = h.invocationsOf('Quote').slice(before);
    expect(burst).toHaveLength(10);
    expect(burst.filter((r) => r.result.facts.cold)).toHaveLength(0);
    expect(quote.pool.stats.environments).toBe(10);
  });

  test('the nightly Scheduler job runs at 02:00 Paris time (01:00 UTC in November) within its 15-minute window', async () => {
    const h = await harness(new Date('2026-11-27T00:58:00Z'));
    await h.advance(60_000);
    expect(h.invocationsOf('NightlyReport')).toHaveLength(0);
    await h.advance(17 * 60_000);
    const runs = h.invocationsOf('NightlyReport');
    expect(runs).toHaveLength(1);
    expect(runs[0].trigger).toMatch(/^schedule NightlyReportSchedule/);
    expect(runs[0].result.error).toBeUndefined();
    if (process.env.SHOW_LOCAL_LOG) console.log(h.lines.join('\n'));
    expect(h.lines.some((l) => l.includes('schedule NightlyReportSchedule/Schedule fired (cron(0 2 * * ? *)) for 2026-11-27T01:00:00.000Z'))).toBe(true);
  });
});
