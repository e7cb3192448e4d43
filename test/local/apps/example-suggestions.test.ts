import { synthesizeExample, SynthesizedAssembly } from '../support/example-assembly';
import { packedAppFor, PreparedApp, RunningApp } from '../conformance/support/packed-runner';

/*
 * What the packed CLI suggests at start on the example app (bin/) works as printed: the event it builds from
 * the OrderPlaced rule's pattern is one the rule matches and ProcessOrder accepts.
 * Event patterns: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */

let assembly: SynthesizedAssembly;
let app: PreparedApp;
let runner: RunningApp;

beforeAll(async () => {
  // The example's Quote function is not called here: its pricing URL is never reached.
  assembly = synthesizeExample({ pricingUrl: 'http://127.0.0.1:9/quote', fixtures: false });
  app = packedAppFor(assembly.directory);
  runner = await app.start();
});
afterAll(async () => {
  await app?.remove();
  assembly?.remove();
});

test('the suggested OrderPlaced event, sent as printed, is processed by ProcessOrder without error', async () => {
  const suggestion = /^ {2}curl -X POST (\S+) -d '(.*)'$/m.exec(runner.report.split('\n').filter((l) => l.includes('"example.orders"')).join('\n'));
  expect(suggestion).not.toBeNull();
  const [, url, body] = suggestion!;
  expect(JSON.parse(body)).toEqual({ source: 'example.orders', 'detail-type': 'OrderPlaced', bus: expect.stringContaining('Orders'), detail: { orderId: 'o-1' } });
  expect(runner.report).toContain(`-> ProcessOrder: "detail" holds what the rule's pattern requires; what ProcessOrder reads beyond it is not known here)`);

  const put = await fetch(url, { method: 'POST', body });
  expect(((await put.json()) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
  const line = await runner.waitForLine(/ -> ProcessOrder\S*\s.*(ok|error \S+)$/, 'the ProcessOrder invocation');
  expect(line).toMatch(/ ok$/);
  await runner.waitForLine(/"message":"order processed","orderId":"o-1","units":0/, "ProcessOrder's log line");
});

test('the URLs to try are the GET routes that run here', () => {
  const tries = runner.report.slice(runner.report.indexOf('Try:')).split('\n').filter((l) => l.startsWith('  curl http'));
  expect(tries).toEqual([expect.stringMatching(/^ {2}curl http:\/\/127\.0\.0\.1:\d+\/hello$/), expect.stringMatching(/^ {2}curl http:\/\/127\.0\.0\.1:\d+\/quote$/), expect.stringMatching(/^ {2}curl http:\/\/127\.0\.0\.1:\d+\/prod\/hello$/)]);
});
