import { FunctionPool, FunctionPoolOptions, LogLine } from '../../../lib/local';
import { fixture } from './support/bundle-fixture';

interface EchoPayload {
  instanceId: string;
  invocations: number;
  initializationType: string;
  env: { custom?: string; functionName: string; memory: string };
  context: Record<string, unknown>;
  remainingAtStart: number;
  remainingAtEnd: number;
  hostOnly: string | null;
}

const pools: FunctionPool[] = [];
function pool(options: Partial<FunctionPoolOptions> = {}): FunctionPool {
  const p = new FunctionPool({ functionName: 'behaviours', handlerPath: fixture('behaviours.cjs'), onLog: () => undefined, ...options });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const payloadOf = (r: { payload?: unknown }) => r.payload as EchoPayload;

describe('FunctionPool environments', () => {
  test('an environment serves one request at a time: concurrent requests get distinct environments', async () => {
    const p = pool();
    const results = await Promise.all([1, 2, 3].map(() => p.invoke({ sleepMs: 100 })));
    expect(new Set(results.map((r) => r.facts.environmentId)).size).toBe(3);
    expect(results.every((r) => r.facts.cold)).toBe(true);
    expect(results.map((r) => payloadOf(r).invocations)).toEqual([1, 1, 1]);
    expect(p.stats).toMatchObject({ environments: 3, idle: 3, busy: 0, coldStarts: 3, invocations: 3 });
  });

  test('an idle environment is reused and keeps its module scope; INIT is reported only on the cold call', async () => {
    const p = pool();
    const first = await p.invoke({});
    const second = await p.invoke({});
    const third = await p.invoke({});
    expect(second.facts.environmentId).toBe(first.facts.environmentId);
    expect(third.facts.environmentId).toBe(first.facts.environmentId);
    expect([first, second, third].map((r) => r.facts.cold)).toEqual([true, false, false]);
    expect(payloadOf(third).instanceId).toBe(payloadOf(first).instanceId);
    expect(payloadOf(third).invocations).toBe(3);
    expect(first.facts.initMs).toEqual(expect.any(Number));
    expect(second.facts.initMs).toBeUndefined();
  });

  test('a new environment is created only while all others are busy', async () => {
    const p = pool();
    const long = p.invoke({ sleepMs: 300 });
    await sleep(50);
    const during = await p.invoke({});
    const longResult = await long;
    const after = await p.invoke({});
    expect(during.facts.environmentId).not.toBe(longResult.facts.environmentId);
    expect(during.facts.cold).toBe(true);
    expect(after.facts.cold).toBe(false);
    expect(p.stats.environments).toBe(2);
  });

  test('INIT is timed separately from the invocation', async () => {
    const p = pool({ environment: { INIT_SPIN_MS: '150' } });
    const cold = await p.invoke({});
    expect(cold.facts.initMs).toBeGreaterThanOrEqual(150);
    const warm = await p.invoke({});
    expect(warm.facts.initMs).toBeUndefined();
  });

  test('an on-demand environment idle longer than idleTimeoutMs is evicted', async () => {
    const p = pool({ idleTimeoutMs: 100 });
    const stops: string[] = [];
    p.on('environment-stop', (s) => stops.push(s.reason));
    const first = await p.invoke({});
    await sleep(400);
    expect(stops).toEqual(['idle-timeout']);
    expect(p.stats.environments).toBe(0);
    const next = await p.invoke({});
    expect(next.facts.cold).toBe(true);
    expect(next.facts.environmentId).not.toBe(first.facts.environmentId);
  });
});

describe('FunctionPool provisioned concurrency', () => {
  test('start() pre-initialises provisioned environments; they serve warm, then on-demand ones spill over', async () => {
    const p = pool({ provisionedConcurrency: 2, idleTimeoutMs: 50 });
    await p.start();
    expect(p.stats).toMatchObject({ environments: 2, provisioned: 2, idle: 2, coldStarts: 0 });
    const results = await Promise.all([1, 2, 3].map(() => p.invoke({ sleepMs: 100 })));
    const provisioned = results.filter((r) => r.facts.initializationType === 'provisioned-concurrency');
    const onDemand = results.filter((r) => r.facts.initializationType === 'on-demand');
    expect(provisioned).toHaveLength(2);
    expect(provisioned.every((r) => !r.facts.cold && payloadOf(r).initializationType === 'provisioned-concurrency')).toBe(true);
    expect(onDemand).toHaveLength(1);
    expect(onDemand[0].facts.cold).toBe(true);
    expect(payloadOf(onDemand[0]).initializationType).toBe('on-demand');
    // Provisioned environments are never evicted for idleness; the on-demand one is.
    await sleep(300);
    expect(p.stats).toMatchObject({ environments: 2, provisioned: 2 });
  });

  test('a provisioned environment that times out is replaced by a new provisioned one', async () => {
    const p = pool({ provisionedConcurrency: 1, timeoutMs: 200 });
    await p.start();
    const starts: string[] = [];
    p.on('environment-start', (s) => starts.push(s.initializationType));
    const timedOut = await p.invoke({ spinMs: 5000 });
    expect(timedOut.facts.timedOut).toBe(true);
    while (starts.length === 0) await sleep(10);
    expect(starts).toEqual(['provisioned-concurrency']);
    const next = await p.invoke({});
    expect(next.facts).toMatchObject({ cold: false, initializationType: 'provisioned-concurrency' });
    expect(next.facts.environmentId).not.toBe(timedOut.facts.environmentId);
  });

  test('start() rejects when provisioned environments fail INIT', async () => {
    const p = pool({ handlerPath: fixture('import-error.cjs'), provisionedConcurrency: 1 });
    await expect(p.start()).rejects.toThrow(/FunctionPool\(behaviours\): provisioned concurrency failed INIT: Error: cannot load configuration/);
  });
});

describe('FunctionPool reserved concurrency', () => {
  test('requests beyond reserved concurrency are throttled like Lambda', async () => {
    const p = pool({ reservedConcurrency: 2 });
    const results = await Promise.all([1, 2, 3].map(() => p.invoke({ sleepMs: 150 })));
    const throttled = results.filter((r) => r.facts.throttled);
    expect(throttled).toHaveLength(1);
    expect(throttled[0].error?.errorType).toBe('TooManyRequestsException');
    expect(throttled[0].error?.errorMessage).toMatch(/Rate Exceeded/);
    expect(throttled[0].facts.environmentId).toBeUndefined();
    expect(results.filter((r) => r.payload !== undefined)).toHaveLength(2);
    expect(p.stats).toMatchObject({ environments: 2, throttles: 1 });
  });

  test('reserved concurrency 0 throttles every request', async () => {
    const p = pool({ reservedConcurrency: 0 });
    const result = await p.invoke({});
    expect(result.facts.throttled).toBe(true);
    expect(p.stats.environments).toBe(0);
  });
});

describe('FunctionPool timeouts, errors and crashes', () => {
  test('a timed-out handler is killed (even in a busy loop), reported like Lambda, and its environment replaced', async () => {
    const p = pool({ timeoutMs: 200 });
    const stops: string[] = [];
    p.on('environment-stop', (s) => stops.push(s.reason));
    const warm = await p.invoke({});
    const timedOut = await p.invoke({ spinMs: 10_000 });
    expect(timedOut.facts.timedOut).toBe(true);
    expect(timedOut.facts.environmentId).toBe(warm.facts.environmentId);
    expect(timedOut.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timedOut.facts.requestId} Error: Task timed out after 0.20 seconds`,
      trace: [],
    });
    const next = await p.invoke({});
    expect(next.facts.cold).toBe(true);
    expect(next.facts.environmentId).not.toBe(warm.facts.environmentId);
    expect(stops).toEqual(['timeout']);
    expect(p.stats.timeouts).toBe(1);
  });

  test('a handler error is reported with errorType, errorMessage and trace; the environment stays', async () => {
    const p = pool();
    const failed = await p.invoke({ throwType: 'ValidationError', throwMessage: 'order id missing' });
    expect(failed.payload).toBeUndefined();
    expect(failed.error?.errorType).toBe('ValidationError');
    expect(failed.error?.errorMessage).toBe('order id missing');
    expect(failed.error?.trace[0]).toBe('ValidationError: order id missing');
    const next = await p.invoke({});
    expect(next.facts).toMatchObject({ cold: false, environmentId: failed.facts.environmentId });
  });

  test('an uncaught exception crashes the environment; the request fails with that error and the next one gets a new environment', async () => {
    const p = pool();
    const crashed = await p.invoke({ crash: true });
    // The runtime reports the uncaught error itself as the invocation's error, then exits.
    expect(crashed.error?.errorType).toBe('Error');
    expect(crashed.error?.errorMessage).toBe('crashed outside the handler');
    const next = await p.invoke({});
    expect(next.facts.cold).toBe(true);
    expect(next.facts.environmentId).not.toBe(crashed.facts.environmentId);
  });

  test('an environment that exceeds the memory size is killed with Runtime.OutOfMemory and replaced', async () => {
    const p = pool({ handlerPath: fixture('memory-hog.cjs'), memoryMb: 128 });
    const stops: string[] = [];
    p.on('environment-stop', (s) => stops.push(s.reason));
    const result = await p.invoke({}, { requestId: 'req-oom' });
    expect(result.error).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'RequestId: req-oom Error: Runtime exited with error: signal: killed',
      trace: [],
    });
    expect(stops).toEqual(['crash']);
    expect(p.stats.environments).toBe(0);
  });

  test('INIT failures are reported as the runtime reports them (the module\'s own error, Runtime.ImportModuleError, Runtime.HandlerNotFound) and nothing is kept', async () => {
    const broken = pool({ handlerPath: fixture('import-error.cjs') });
    const thrownAtLoad = await broken.invoke({});
    expect(thrownAtLoad.error).toMatchObject({ errorType: 'Error', errorMessage: 'cannot load configuration' });
    expect(broken.stats.environments).toBe(0);
    const unresolved = await pool({ handlerPath: fixture('missing-module.cjs') }).invoke({});
    expect(unresolved.error?.errorType).toBe('Runtime.ImportModuleError');
    expect(unresolved.error?.errorMessage).toMatch(/^Error: Cannot find module 'a-package-nobody-installed'/);
    const missing = await pool({ handlerPath: fixture('no-handler.cjs') }).invoke({});
    expect(missing.error?.errorType).toBe('Runtime.HandlerNotFound');
    expect(missing.error?.errorMessage).toBe('no-handler.handler is undefined or not exported');
  });

  test('close() ends running requests with Runtime.ExitError and refuses new ones', async () => {
    const p = pool();
    const running = p.invoke({ sleepMs: 5000 });
    await sleep(100);
    await p.close();
    expect((await running).error?.errorType).toBe('Runtime.ExitError');
    await expect(p.invoke({})).rejects.toThrow('FunctionPool(behaviours): invoke() called after close()');
  });
});

describe('FunctionPool handler contract', () => {
  test('passes a real context whose remaining time counts down to the deadline', async () => {
    // nodejs20.x: the runtimes before Node.js 24 also give callbackWaitsForEmptyEventLoop.
    const p = pool({ runtime: 'nodejs20.x', timeoutMs: 2000, memoryMb: 256, functionVersion: '7', region: 'eu-west-1', accountId: '111122223333' });
    const result = await p.invoke({ sleepMs: 200 }, { qualifier: 'live', requestId: 'req-1' });
    const payload = payloadOf(result);
    expect(payload.remainingAtStart).toBeLessThanOrEqual(2000);
    expect(payload.remainingAtStart).toBeGreaterThan(1000);
    expect(payload.remainingAtEnd).toBeLessThanOrEqual(payload.remainingAtStart - 190);
    expect(payload.context).toEqual({
      awsRequestId: 'req-1',
      functionName: 'behaviours',
      functionVersion: '7',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:behaviours:live',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/behaviours',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[7\][0-9a-f]{32}$/),
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(result.facts.requestId).toBe('req-1');
  });

  test('each environment sees the function environment plus Lambda variables, not the host process.env', async () => {
    process.env.HOST_ONLY_VARIABLE = 'leaked';
    try {
      const result = await pool({ environment: { CUSTOM: 'from-function' }, memoryMb: 512 }).invoke({});
      expect(payloadOf(result).env).toEqual({ custom: 'from-function', functionName: 'behaviours', memory: '512' });
      expect(payloadOf(result).hostOnly).toBeNull();
      expect(payloadOf(result).initializationType).toBe('on-demand');
    } finally {
      delete process.env.HOST_ONLY_VARIABLE;
    }
  });

  test('callback-style handlers answer through the callback (runtimes before Node.js 24)', async () => {
    const p = pool({ runtime: 'nodejs20.x', handlerPath: fixture('callback-style.cjs') });
    const ok = await p.invoke({}, { requestId: 'cb-1' });
    expect(ok.payload).toEqual({ viaCallback: true, requestId: 'cb-1' });
    const failed = await p.invoke({ fail: true });
    expect(failed.error).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
  });

  test('log lines carry the request id, as the Lambda runtime writes them, tagged with the environment', async () => {
    const lines: LogLine[] = [];
    const result = await pool({ onLog: (line) => lines.push(line) }).invoke({ log: 'hello' }, { requestId: 'req-log' });
    await sleep(50);
    const line = lines.find((l) => l.text.includes('logged hello'));
    expect(line).toMatchObject({ functionName: 'behaviours', environmentId: result.facts.environmentId, stream: 'stdout' });
    expect(line?.text).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\treq-log\tINFO\tlogged hello$/);
  });

  test('emits an invocation event per request', async () => {
    const p = pool();
    const seen: string[] = [];
    p.on('invocation', (r) => seen.push(r.facts.requestId));
    await p.invoke({}, { requestId: 'a' });
    await p.invoke({}, { requestId: 'b' });
    expect(seen).toEqual(['a', 'b']);
  });
});
