import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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
  const lines = runner.report.split('\n');
  const at = lines.findIndex((l) => l.startsWith('  curl -X POST') && l.includes('"example.orders"'));
  const suggestion = /^ {2}(curl -X POST \S+ -d '(.*)')$/.exec(lines[at]);
  expect(suggestion).not.toBeNull();
  const [, command, body] = suggestion!;
  expect(JSON.parse(body)).toEqual({ source: 'example.orders', 'detail-type': 'OrderPlaced', bus: expect.stringContaining('Orders'), detail: { orderId: 'o-1' } });
  expect(lines[at + 1]).toBe(`      (rule Orders/OrderPlaced -> ProcessOrder: "detail" holds what the rule's pattern requires; what ProcessOrder reads beyond it is not known here)`);

  // Pasted into a shell, as a user would.
  const { stdout } = await promisify(execFile)('sh', ['-c', `${command} --silent --show-error`]);
  expect(JSON.parse(stdout)).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
  const line = await runner.waitForLine(/ -> ProcessOrder\S*\s.*(ok|error \S+)$/, 'the ProcessOrder invocation');
  expect(line).toMatch(/ ok$/);
  await runner.waitForLine(/"message":"order processed","orderId":"o-1","units":0/, "ProcessOrder's log line");
});

test('the URLs to try are the GET routes that run here', () => {
  const tries = runner.report.slice(runner.report.indexOf('Try:')).split('\n').filter((l) => l.startsWith('  curl http'));
  expect(tries).toEqual([expect.stringMatching(/^ {2}curl http:\/\/127\.0\.0\.1:\d+\/hello$/), expect.stringMatching(/^ {2}curl http:\/\/127\.0\.0\.1:\d+\/quote$/), expect.stringMatching(/^ {2}curl http:\/\/127\.0\.0\.1:\d+\/prod\/hello$/)]);
});
