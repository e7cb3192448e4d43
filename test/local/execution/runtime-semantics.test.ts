import { FunctionPool, FunctionPoolOptions } from '../../../lib/local/execution';
import { node24Path } from '../../node24/interpreter';
import { fixture } from './support/bundle-fixture';

const pools: FunctionPool[] = [];
function pool(options: Partial<FunctionPoolOptions>): FunctionPool {
  const p = new FunctionPool({ functionName: 'semantics', handlerPath: fixture('semantics.cjs'), onLog: () => undefined, ...options });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

// Runtimes before Node.js 24 answer a callback once the event loop is empty, unless the handler turns
// context.callbackWaitsForEmptyEventLoop off (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html).
describe.each(['nodejs20.x'])('%s event-loop semantics', (runtime) => {
  test('a callback answer is sent when the event loop is empty: a timer set after the callback still shapes it', async () => {
    const result = await pool({ runtime, handlerName: 'callbackThenTimer' }).invoke({ wait: true });
    expect(result.payload).toEqual({ timerRan: true });
  });

  test('with callbackWaitsForEmptyEventLoop = false the callback answers at once', async () => {
    const result = await pool({ runtime, handlerName: 'callbackThenTimer' }).invoke({ wait: false });
    expect(result.payload).toEqual({ timerRan: false });
  });

  test('a handler that never answers gets null once nothing is left to do; the environment serves on', async () => {
    const p = pool({ runtime, handlerName: 'forgetsToAnswer' });
    const first = await p.invoke({});
    expect(first).toMatchObject({ payload: null, facts: { timedOut: false } });
    expect((await p.invoke({})).facts).toMatchObject({ cold: false, environmentId: first.facts.environmentId });
  });
});

(node24Path() ? describe : describe.skip)('nodejs24.x in a child process', () => {
  test('the environment is a Node.js 24 process whose working directory is the code directory', async () => {
    const notices: string[] = [];
    const p = pool({ runtime: 'nodejs24.x', handlerPath: fixture('behaviours.cjs'), onNotice: (n) => notices.push(n) });
    const result = await p.invoke({});
    expect(result.error).toBeUndefined();
    expect(notices).toEqual([]);
    expect(await p.interpreter()).toMatchObject({ kind: 'child', major: 24, version: expect.stringMatching(/^v24\./) });
  });

  test('a timeout kills the child process and the next request gets a new one', async () => {
    const p = pool({ runtime: 'nodejs24.x', handlerPath: fixture('behaviours.cjs'), timeoutMs: 300 });
    const timedOut = await p.invoke({ spinMs: 5000 });
    expect(timedOut.error?.errorType).toBe('Sandbox.Timedout');
    const next = await p.invoke({});
    expect(next.facts).toMatchObject({ cold: true });
    expect(next.facts.environmentId).not.toBe(timedOut.facts.environmentId);
  });

  test('exceeding the memory size ends the child process with Runtime.OutOfMemory', async () => {
    const result = await pool({ runtime: 'nodejs24.x', handlerPath: fixture('memory-hog.cjs'), memoryMb: 128 }).invoke({}, { requestId: 'req-oom' });
    expect(result.error).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: 'RequestId: req-oom Error: Runtime exited with error: signal: killed', trace: [] });
  }, 30_000);
});
