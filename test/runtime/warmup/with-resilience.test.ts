import { WARMUP_KEY, WarmupResponse } from '../../../lib/contract';
import type * as Warmup from '../../../lib/runtime/warmup';

/** A fresh module scope per test, as a new execution environment would have. */
function freshRuntime(): typeof Warmup {
  let runtime: typeof Warmup | undefined;
  jest.isolateModules(() => {
    runtime = require('../../../lib/runtime/warmup');
  });
  return runtime!;
}

/** The part of Lambda's context the wrapper uses, counting down to a deadline like the real one. */
function contextWithDeadline(remainingMs: number) {
  const deadline = Date.now() + remainingMs;
  return { deadline, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

const warmup = (fields: Partial<Record<string, unknown>> = {}) => ({
  [WARMUP_KEY]: { batchId: 'b1', index: 0, concurrency: 1, releaseAt: Date.now(), ...fields },
});

describe('isWarmupEvent', () => {
  const { isWarmupEvent } = freshRuntime();
  test.each([
    [warmup(), true],
    [{ [WARMUP_KEY]: {} }, true],
    [{ warmer: true }, false],
    [{ body: '{}' }, false],
    [null, false],
    ['__resilientWarmup', false],
    [undefined, false],
  ])('%j -> %s', (event, expected) => {
    expect(isWarmupEvent(event)).toBe(expected);
  });
});

describe('withResilience', () => {
  test('answers a warm-up call without running the handler, with the instance id and cold flag', async () => {
    const { withResilience, currentInstanceId } = freshRuntime();
    const user = jest.fn(async () => 'user code ran');
    const wrapped = withResilience(user);
    const response = (await wrapped(warmup({ batchId: 'batch-7', index: 3 }), contextWithDeadline(3000))) as WarmupResponse;
    expect(user).not.toHaveBeenCalled();
    expect(response).toEqual({ warmup: true, instanceId: currentInstanceId(), cold: true, batchId: 'batch-7', index: 3 });
    expect(currentInstanceId()).toMatch(/^[0-9a-z]+-[0-9a-z]{12,}$/);
  });

  test('holds a warm-up call until releaseAt', async () => {
    const wrapped = freshRuntime().withResilience(async () => 'x');
    const releaseAt = Date.now() + 150;
    await wrapped(warmup({ releaseAt }), contextWithDeadline(3000));
    // Timers may fire a millisecond early against Date.now(); the hold is what matters, not the last ms.
    expect(Date.now()).toBeGreaterThanOrEqual(releaseAt - 5);
  });

  test('never holds past the remaining time minus the margin, so the call answers instead of timing out', async () => {
    const wrapped = freshRuntime().withResilience(async () => 'x', { warmupMarginMs: 1000 });
    const context = contextWithDeadline(2000);
    const response = (await wrapped(warmup({ releaseAt: Date.now() + 60_000 }), context)) as WarmupResponse;
    expect(response.warmup).toBe(true);
    expect(Date.now()).toBeLessThan(context.deadline);
  });

  test('a release time already past answers at once', async () => {
    const wrapped = freshRuntime().withResilience(async () => 'x');
    const response = (await wrapped(warmup({ releaseAt: Date.now() - 10_000 }), contextWithDeadline(3000))) as WarmupResponse;
    expect(response.warmup).toBe(true);
  });

  test('only the first invocation of an instance is cold, whichever kind it is', async () => {
    const first = freshRuntime().withResilience(async () => 'ok');
    const ctx = () => contextWithDeadline(3000);
    expect(((await first(warmup(), ctx())) as WarmupResponse).cold).toBe(true);
    expect(((await first(warmup(), ctx())) as WarmupResponse).cold).toBe(false);

    const second = freshRuntime().withResilience(async () => 'ok');
    expect(await second({ path: '/' }, ctx())).toBe('ok');
    expect(((await second(warmup(), ctx())) as WarmupResponse).cold).toBe(false);
  });

  test('passes every other event and the context to the handler and returns its result', async () => {
    const user = jest.fn(async (event: { n: number }) => ({ doubled: event.n * 2 }));
    const wrapped = freshRuntime().withResilience(user);
    const context = contextWithDeadline(3000);
    await expect(wrapped({ n: 21 }, context)).resolves.toEqual({ doubled: 42 });
    expect(user).toHaveBeenCalledWith({ n: 21 }, context, expect.any(Function));
  });

  test('propagates handler errors unchanged', async () => {
    const failure = new TypeError('bad order');
    const wrapped = freshRuntime().withResilience(async () => {
      throw failure;
    });
    await expect(wrapped({}, contextWithDeadline(3000))).rejects.toBe(failure);
  });

  test('supports callback-style handlers', async () => {
    const { withResilience } = freshRuntime();
    const ok = withResilience((_event: unknown, _context: unknown, callback: (e?: unknown, r?: string) => void) => {
      setTimeout(() => callback(null, 'via callback'), 5);
    });
    await expect(ok({}, contextWithDeadline(3000))).resolves.toBe('via callback');
    const failing = withResilience((_event: unknown, _context: unknown, callback: (e?: unknown) => void) => callback(new Error('cb failed')));
    await expect(failing({}, contextWithDeadline(3000))).rejects.toThrow('cb failed');
  });

  test('a synchronous handler without a callback parameter returns its value', async () => {
    const wrapped = freshRuntime().withResilience(((event: { v: number }) => event.v + 1) as never);
    await expect(wrapped({ v: 1 }, contextWithDeadline(3000))).resolves.toBe(2);
  });

  describe('bad input', () => {
    const { withResilience } = freshRuntime();
    test('a handler that is not a function', () => {
      expect(() => withResilience(undefined as never)).toThrow('withResilience: handler must be a function, got undefined');
      expect(() => withResilience(null as never)).toThrow('withResilience: handler must be a function, got null');
    });
    test.each([[-1], [Number.NaN], ['100']])('warmupMarginMs %j', (margin) => {
      expect(() => withResilience(async () => 1, { warmupMarginMs: margin as number })).toThrow(
        `withResilience: options.warmupMarginMs must be a finite number >= 0, got ${JSON.stringify(margin)}`,
      );
    });
    test.each([
      [{ [WARMUP_KEY]: null }, `warm-up payload ${WARMUP_KEY} must be an object, got null`],
      [warmup({ batchId: '' }), `${WARMUP_KEY}.batchId must be a non-empty string, got ""`],
      [warmup({ index: -1 }), `${WARMUP_KEY}.index must be an integer >= 0, got -1`],
      [warmup({ concurrency: 0 }), `${WARMUP_KEY}.concurrency must be an integer >= 1, got 0`],
      [warmup({ releaseAt: 'soon' }), `${WARMUP_KEY}.releaseAt must be an epoch-milliseconds number, got "soon"`],
    ])('a malformed warm-up payload is rejected without running user code: %j', async (event, message) => {
      const user = jest.fn(async () => 'ran');
      await expect(withResilience(user)(event, contextWithDeadline(3000))).rejects.toThrow(message);
      expect(user).not.toHaveBeenCalled();
    });
  });
});
