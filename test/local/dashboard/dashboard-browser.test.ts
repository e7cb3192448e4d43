import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ROOT } from '../../package/support/packed-app';
import { packedAppFor, PreparedApp, RunningApp } from '../conformance/support/packed-runner';
import { synthesizeExample, SynthesizedAssembly } from '../support/example-assembly';
import { call } from '../support/http-client';

/*
 * The local dashboard in a real headless Chromium, served by the packed CLI (`npm pack`, installed, run as a
 * user runs it) on the example app: the page loads and goes live, lists the app's functions, shows a request
 * made with an HTTP client with its event, response and log when clicked, shows handler-controlled text as
 * text (no markup runs), and shows the pricing circuit OPEN after the /quote failures. It saves a screenshot
 * under test-artifacts/ (and, with UPDATE_DASHBOARD_SCREENSHOT=1, the README's copy in docs/).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SCREENSHOT = join(ARTIFACTS, 'local-dashboard.png');
const README_SCREENSHOT = join(ROOT, 'docs', 'local-dashboard.png');

let assembly: SynthesizedAssembly;
let app: PreparedApp;
let runner: RunningApp;
let browser: Browser;
let page: Page;
let api: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The dashboard's browser test needs Chromium at ${CHROMIUM}. Install it with \`sudo apt-get install chromium\` ` +
      '(Debian, Ubuntu; .ci/run installs it in CI), or set CHROMIUM_PATH to a Chromium or Chrome binary.');
  }
  // The pricing host is unreachable, as the example's is offline: a closed port fails every call at once.
  assembly = synthesizeExample({ pricingUrl: 'http://127.0.0.1:9/quote', fixtures: false });
  app = packedAppFor(assembly.directory);
  runner = await app.start();
  api = runner.apis['HttpApi/HttpApi'];
  // Root cannot use Chromium's sandbox (CI runs as root); the page is our own, on loopback.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1360, height: 980 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.remove();
  assembly?.remove();
});

function dashboardUrl(): string {
  const match = /local dashboard \([^)]*\): (http:\/\/\S+)/.exec(runner.report);
  if (!match) throw new Error(`the start-up report names no dashboard:\n${runner.report}`);
  return match[1];
}

test('the page goes live and lists the functions of the app with their environments (Hello: its provisioned one)', async () => {
  await page.goto(dashboardUrl());
  await page.locator('#connection', { hasText: 'live' }).waitFor();
  const names = await page.locator('#functions article h3').allTextContents();
  const reported = /^ {2}functions: (.*)$/m.exec(runner.report)![1].split(', ').map((f) => f.replace(/ \(.*$/, ''));
  expect(names).toEqual(reported);
  expect(names).toEqual(expect.arrayContaining(['Hello', 'Quote', 'ProcessOrder', 'NightlyReport']));
  await expect(page.locator('[data-function="Hello"] i.env.provisioned').count()).resolves.toBe(1);
  await expect(page.locator('[data-circuit="pricing"] .state').textContent()).resolves.toMatch(/^(CLOSED|not read yet)$/);
  expect(await page.locator('#schedules tbody tr').count()).toBeGreaterThanOrEqual(3);
});

test('a request made with an HTTP client appears in the invocation list; clicking it shows its event, response and log', async () => {
  expect((await call(`${api}/hello`)).text()).toBe('Hello, Serverless!');
  const row = page.locator('#invocations tbody tr[data-function="Hello"]').first();
  await row.waitFor();
  await expect(row.locator('td').allTextContents()).resolves.toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3}$/), 'GET /hello', 'Hello:live', 'Hello#1', 'warm', expect.stringMatching(/ms$/), '200']);
  await row.click();
  await page.locator('#detail-event', { hasText: '"rawPath": "/hello"' }).waitFor();
  expect(await page.locator('#detail-response').textContent()).toContain('Hello, Serverless!');
  const log = (await page.locator('#detail-logs').textContent())!;
  expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: 1$/m);
  expect(log).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: /m);
});

test('text from the request reaches the page as text: markup in an event does not run', async () => {
  const markup = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';
  expect((await call(`${api}/hello?q=${encodeURIComponent(markup)}`)).status).toBe(200);
  const row = page.locator('#invocations tbody tr[data-function="Hello"]').first();
  await page.locator('#invocations tbody tr[data-function="Hello"]').nth(1).waitFor();
  await row.click();
  await page.locator('#detail-event', { hasText: 'onerror' }).waitFor();
  expect(await page.locator('#detail-event').textContent()).toContain(JSON.stringify(markup).slice(1, -1));
  expect(await page.locator('#detail img, #detail script').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');
});

test('after repeated /quote failures the pricing circuit shows OPEN, read from the breaker table', async () => {
  const statuses: number[] = [];
  // Outcomes reach the store with each instance's flush (every 5 s): call for up to 15 s.
  for (let i = 0; i < 60 && !statuses.includes(503); i++) {
    statuses.push((await call(`${api}/quote`)).status);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(statuses.at(-1)).toBe(503);
  const state = page.locator('[data-circuit="pricing"] .state');
  await page.locator('[data-circuit="pricing"] .state', { hasText: 'OPEN' }).waitFor({ timeout: 15_000 });
  expect(await state.textContent()).toBe('OPEN');
  expect(await page.locator('[data-circuit="pricing"]').textContent()).toMatch(/open until \d\d:\d\d:\d\d/);
  // The function answered 502 and 503 itself (no Lambda error): every call is in the list (the warmer's may be too).
  expect(await page.locator('#invocations tbody tr[data-function="Quote"]', { hasText: 'GET /quote' }).count()).toBe(statuses.length);
  expect(Number(await page.locator('[data-function="Quote"] [data-count="invocations"] dd').textContent())).toBeGreaterThanOrEqual(statuses.length);
  // The last failure that reached the downstream: its log shows why.
  const failed = page.locator('#invocations tbody tr[data-function="Quote"]', { hasText: '502' }).first();
  await failed.click();
  await page.locator('#detail-response', { hasText: '502' }).waitFor();

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  if (process.env.UPDATE_DASHBOARD_SCREENSHOT === '1') {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    copyFileSync(SCREENSHOT, README_SCREENSHOT);
  }
  expect(existsSync(SCREENSHOT)).toBe(true);
});
