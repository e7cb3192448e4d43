import { exampleWorld } from '../support/example-world';
import type { Harness } from '../support/runner-harness';
import { call } from '../support/http-client';
import { hostAllowed } from '../../../lib/local/dashboard/dashboard-server';
import { openEventStream, EventStream } from './event-stream';

/*
 * The dashboard's data, without a browser: its state (/_local/api/state), the live feed (server-sent events)
 * and an invocation's details, on the example app run in-process (virtual clock, fake pricing service).
 */

const world = exampleWorld();
let h: Harness;
let base: string;
let stream: EventStream;

beforeAll(async () => {
  h = await world.harness(new Date('2026-11-26T07:58:00Z'));
  base = h.runner.dashboardUrl!;
  await h.runner.settled();
  stream = await openEventStream(`${base}api/stream`);
});
afterAll(() => stream?.close());

test('the state lists every function with its environments, the circuits as read, the queues with what sends to them, the schedules with their next firing', async () => {
  const { state, invocations } = (await call(`${base}api/state`)).json();
  expect(invocations).toEqual([]);
  expect(state.functions.map((f: any) => f.name)).toEqual(h.runner.model.functions.map((f) => f.displayName));
  // Hello has provisioned concurrency 1: one environment, initialised at start, idle.
  const hello = state.functions.find((f: any) => f.name === 'Hello');
  expect(hello).toMatchObject({ provisionedConcurrency: 1, environments: [{ id: 'Hello#1', provisioned: true, state: 'idle', invocations: 0 }] });
  expect(hello.counts).toMatchObject({ provisioned: 1, idle: 1, busy: 0, invocations: 0, coldStarts: 0 });
  // The dashboard read the circuit's item at start: no item yet is CLOSED at version 0.
  expect(state.breakers).toEqual([{ circuit: 'pricing', tableName: h.runner.model.tables[0].tableName, state: 'CLOSED', version: 0, functions: ['Quote'] }]);
  expect(state.queues).toEqual(expect.arrayContaining([
    expect.objectContaining({ name: 'ProcessorFailures', count: 0, roles: ['on-failure destination of FailingProcessor'] }),
    expect.objectContaining({ name: 'RuleDeadLetters', count: 0, roles: ['dead-letter queue of rule FailingRule'] }),
  ]));
  expect(state.schedules).toEqual(h.runner.scheduler.upcoming());
  expect(state.schedules.find((s: any) => s.source.startsWith('schedule NightlyReport'))).toMatchObject({ timezone: 'Europe/Paris', next: Date.parse('2026-11-27T01:00:00Z') });
  expect(state.now).toBe(h.clock.now());
});

test('the stream opens with the state and the invocation list, then sends each invocation as it ends; its details hold the event, the response and its own log lines', async () => {
  expect(stream.status).toBe(200);
  expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(stream.events.slice(0, 2).map((e) => e.event)).toEqual(['state', 'invocations']);

  for (const path of ['/hello', '/hello']) expect((await call(`${h.api('HttpApi/HttpApi')}${path}`)).status).toBe(200);
  const [first, second] = [await stream.next('invocation', (i) => i.id === 1), await stream.next('invocation', (i) => i.id === 2)];
  expect(first).toMatchObject({ function: 'Hello', qualifier: 'live', trigger: 'GET /hello', outcome: 'ok', status: 200, cold: false, environment: 'Hello#1' });
  expect(first.durationMs).toBeGreaterThan(0);
  expect(first).not.toHaveProperty('event');

  const [one, two] = [(await call(`${base}api/invocations/1`)).json(), (await call(`${base}api/invocations/2`)).json()];
  expect(JSON.parse(one.event)).toMatchObject({ version: '2.0', rawPath: '/hello', requestContext: { http: { method: 'GET' } } });
  expect(JSON.parse(one.response)).toMatchObject({ statusCode: 200, body: 'Hello, Serverless!' });
  // Both ran in Hello#1, one after the other: each has its own START ... REPORT, and no line of the other.
  expect(one.logs.find((l: string) => l.startsWith('START'))).toBe(`START RequestId: ${one.requestId} Version: 1`);
  expect(one.logs.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${one.requestId}\\tDuration: `));
  expect(one.logs.join('\n')).not.toContain(two.requestId);
  expect(two.logs.some((l: string) => l.startsWith(`START RequestId: ${two.requestId}`))).toBe(true);
  expect(second.id).toBe(2);

  const state = await stream.next('state', (s) => s.functions.find((f: any) => f.name === 'Hello').counts.invocations === 2);
  expect(state.functions.find((f: any) => f.name === 'Hello').environments[0]).toMatchObject({ id: 'Hello#1', state: 'idle', invocations: 2 });
  expect((await call(`${base}api/invocations/999`)).status).toBe(404);
});

test('an invocation through the Lambda Invoke API (as the warmer and SDK calls arrive) carries the event it was sent; a failure shows the error document', async () => {
  const reply = await fetch(`${h.runner.invokeUrl}/2015-03-31/functions/${h.runner.model.functions.find((f) => f.displayName === 'ProcessOrder')!.functionName}/invocations`, {
    method: 'POST', body: JSON.stringify({ detail: { note: '<img src=x onerror=alert(1)>' } }),
  });
  expect(reply.headers.get('x-amz-function-error')).toBe('Unhandled');
  const summary = await stream.next('invocation', (i) => i.function === 'ProcessOrder');
  expect(summary).toMatchObject({ trigger: 'lambda:Invoke', outcome: 'error', errorType: 'Error', cold: true });
  const detail = (await call(`${base}api/invocations/${summary.id}`)).json();
  // Kept as the text it was: escaping is the page's job (and the browser test's).
  expect(JSON.parse(detail.event)).toEqual({ detail: { note: '<img src=x onerror=alert(1)>' } });
  expect(JSON.parse(detail.response)).toMatchObject({ errorType: 'Error', errorMessage: expect.stringContaining('no orderId or items') });
  expect(detail.logs[0]).toMatch(/^INIT_START Runtime Version: nodejs:24/);
  expect(detail.logs.some((l: string) => l.includes('Invoke Error'))).toBe(true);
});

test('dead letters and failure destinations appear in the queues as the retries end', async () => {
  const put = h.runner.putEvents([{ Source: 'fixture.shop', DetailType: 'Broken', Detail: JSON.stringify({ total: 120 }), EventBusName: h.runner.model.buses.find((b) => b.includes('FixtureBus'))! }]);
  expect(put.FailedEntryCount).toBe(0);
  // FailingProcessor: the try and one retry a minute later, then its on-failure destination; the rule's target
  // that does not exist: retried until the event is 5 minutes old, then the rule's dead-letter queue.
  await h.advance(7 * 60_000, 30_000);
  const state = await stream.next('state', (s) => s.queues.filter((q: any) => ['ProcessorFailures', 'RuleDeadLetters'].includes(q.name) && q.count > 0).length === 2);
  const failures = state.queues.find((q: any) => q.name === 'ProcessorFailures');
  expect(failures.count).toBe(1);
  expect(JSON.parse(failures.recent[0].body)).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2 }, requestPayload: { detail: { total: 120 } } });
  const deadLetters = state.queues.find((q: any) => q.name === 'RuleDeadLetters');
  expect(JSON.parse(deadLetters.recent[0].body)).toMatchObject({ source: 'fixture.shop', 'detail-type': 'Broken' });
  const retried = (await call(`${base}api/state`)).json().invocations.filter((i: any) => i.function === 'FailingProcessor');
  expect(retried.map((i: any) => [i.trigger, i.outcome, i.attempt])).toEqual([['rule FailingRule', 'error', 1], ['rule FailingRule', 'error', 2]]);
});

test('the page and its files are served with a policy that runs only them; / leads to the page; only GET; nothing else', async () => {
  const root = new URL(base).origin;
  const redirect = await call(`${root}/`);
  expect([redirect.status, redirect.headers.location]).toEqual([302, '/_local/']);
  const page = await call(base);
  expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
  expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  expect(page.headers['x-content-type-options']).toBe('nosniff');
  expect(page.text()).toContain('<script type="module" src="dashboard.mjs">');
  expect((await call(`${base}dashboard.mjs`)).headers['content-type']).toBe('text/javascript; charset=utf-8');
  expect((await call(`${base}dashboard.css`)).headers['content-type']).toBe('text/css; charset=utf-8');
  expect((await call(`${base}../../package.json`)).status).toBe(404);
  expect((await call(`${base}page/index.html`)).status).toBe(404);
  expect((await call(`${base}api/state`, { method: 'POST' })).status).toBe(405);
});

test('bound to a loopback address it answers only requests addressed to a loopback name (no DNS rebinding); bound wider, any', async () => {
  const port = Number(new URL(base).port);
  const rebound = await call(`${base}api/state`, { headers: { Host: `attacker.example:${port}` } });
  expect(rebound.status).toBe(403);
  expect((await call(`${base}api/state`, { headers: { Host: `localhost:${port}` } })).status).toBe(200);
  expect(hostAllowed(`127.0.0.1:${port}`, '127.0.0.1', port)).toBe(true);
  expect(hostAllowed(`[::1]:${port}`, '127.0.0.1', port)).toBe(true);
  expect(hostAllowed(`127.0.0.1:${port + 1}`, '127.0.0.1', port)).toBe(false);
  expect(hostAllowed(undefined, '127.0.0.1', port)).toBe(false);
  expect(hostAllowed(`my-laptop.lan:${port}`, '0.0.0.0', port)).toBe(true);
});
