import * as path from 'node:path';
import { prepareApp, PreparedApp, RunningApp } from '../conformance/support/packed-runner';

/*
 * A REST API with a Node.js function and a Python function, plus a Node.js rule target (apps/mixed-runtimes),
 * run unmodified by the packed CLI. The runner runs Node.js only: it starts without the Python function,
 * names it in the start-up report, and serves the rest.
 *
 * Lambda proxy integration: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * Event delivery to a rule's Lambda target: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */

let app: PreparedApp;
let runner: RunningApp;

beforeAll(async () => {
  app = await prepareApp(path.join(__dirname, 'mixed-runtimes'));
  runner = await app.start(); // no flag: a function of another runtime is left out, not a reason to stop
});
afterAll(() => app?.remove());

describe('started as it is', () => {
  test('the start-up report names the Python function it does not run, and why, and serves the Node.js ones', () => {
    expect(runner.report).toMatch(/NOT RUN HERE [^\n]*:\n\s+MixedRuntimes\/Report\w* \(AWS::Lambda::Function\): runtime python3\.12 is not a Node\.js runtime/);
    expect(runner.report).not.toContain('NOT EMULATED');
    expect(runner.report).toMatch(/functions: Greet, Audit\n/);
  });

  test('the Node.js route answers as its handler says', async () => {
    const greeting = await fetch(`${runner.apis['MixedApi']}/greet/Ada%20Lovelace`);
    expect([greeting.status, greeting.headers.get('content-type'), await greeting.text()]).toEqual([200, 'text/plain', 'Hello, Ada Lovelace!']);
  });

  test('the Node.js rule target gets its events', async () => {
    const put = await app.runToExit(['put-events', '--url', runner.eventsUrl, '--source', 'mixed.greetings', '--detail-type', 'Greeted', '--detail', '{"name":"Ada"}']);
    expect(put.code).toBe(0);
    await runner.waitForLine(/audit: Ada was greeted/, "the Audit function's log line");
  });

  test('the route to the skipped Python function is not suggested; calling it logs which function is not run and why', async () => {
    expect(runner.report).not.toMatch(/curl \S+\/report/);
    const report = await fetch(`${runner.apis['MixedApi']}/report`);
    expect(report.status).toBe(500);
    await runner.waitForLine(/GET \/prod\/report -> 500 route GET \/report of MixedApi invokes MixedRuntimes\/Report\w*, not run here: runtime python3\.12 is not a Node\.js runtime/);
  });
});
