import { join } from 'node:path';
import { METRIC_NAMESPACE, WARMER_METRIC } from '../../../lib/contract';
import { FunctionPool, FunctionPoolOptions } from '../../../lib/local';
import { createWarmer, WarmupInvoker } from '../../../lib/warmer/handler';
import { bundleFixture, fixture } from '../../local/execution/support/bundle-fixture';

const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:orders:live';
let warmTarget: string;
const pools: FunctionPool[] = [];
beforeAll(() => {
  warmTarget = bundleFixture(join(__dirname, '..', '..', 'runtime', 'warmup', 'fixtures', 'warm-target.ts'));
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
function pool(options: Partial<FunctionPoolOptions> = {}): FunctionPool {
  const p = new FunctionPool({ functionName: 'orders', handlerPath: warmTarget, onLog: () => undefined, ...options });
  pools.push(p);
  return p;
}

/** The in-process invoker: the pool's answer, with errors raised the way the SDK invoker raises them. */
function poolInvoker(p: FunctionPool): WarmupInvoker {
  return async (_arn, payload) => {
    const result = await p.invoke(payload, { qualifier: 'live' });
    if (result.error) throw Object.assign(new Error(result.error.errorMessage), { name: result.error.errorType });
    return result.payload;
  };
}

describe('createWarmer', () => {
  test('warms through an injected invoker and emits one EMF line per target', async () => {
    const lines: string[] = [];
    const p = pool();
    const summary = await createWarmer({ invoke: poolInvoker(p), emit: (l) => lines.push(l) }).warm({
      targets: [{ functionArn: ARN, concurrency: 6 }],
      holdMs: 200,
    });
    expect(summary.targets).toHaveLength(1);
    expect(summary.targets[0]).toMatchObject({ target: 'orders:live', functionArn: ARN, requested: 6, distinct: 6, cold: 6, rounds: 1 });
    expect(summary.targets[0].instanceIds).toHaveLength(6);
    expect(p.stats.environments).toBe(6);

    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]);
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRIC_NAMESPACE,
        Dimensions: [['Target']],
        Metrics: [
          { Name: WARMER_METRIC.REQUESTED, Unit: 'Count' },
          { Name: WARMER_METRIC.DISTINCT, Unit: 'Count' },
          { Name: WARMER_METRIC.COLD, Unit: 'Count' },
        ],
      },
    ]);
    expect(emf._aws.Timestamp).toEqual(expect.any(Number));
    expect(emf).toMatchObject({ Target: 'orders:live', [WARMER_METRIC.REQUESTED]: 6, [WARMER_METRIC.DISTINCT]: 6, [WARMER_METRIC.COLD]: 6 });

    // Warming again: same environments, none cold.
    const again = await createWarmer({ invoke: poolInvoker(p), emit: () => undefined }).warm({ targets: [{ functionArn: ARN, concurrency: 6 }], holdMs: 200 });
    expect(again.targets[0]).toMatchObject({ distinct: 6, cold: 0 });
    expect(new Set(again.targets[0].instanceIds)).toEqual(new Set(summary.targets[0].instanceIds));
  });

  test('a call that arrives after the release lands on a warm environment; the top-up round makes up the shortfall', async () => {
    const p = pool();
    const direct = poolInvoker(p);
    let round = 0;
    // Network delay injected into one call of the first round only: it reaches Lambda after the others were released.
    const lateInvoker: WarmupInvoker = async (arn, payload) => {
      const request = Object.values(payload)[0];
      if (request.index === 0) round++;
      if (round === 1 && request.index === request.concurrency - 1) {
        await new Promise((resolve) => setTimeout(resolve, request.releaseAt - Date.now() + 100));
      }
      return direct(arn, payload);
    };
    const summary = await createWarmer({ invoke: lateInvoker, emit: () => undefined }).warm({ targets: [{ functionArn: ARN, concurrency: 4 }], holdMs: 150 });
    expect(summary.targets[0]).toMatchObject({ requested: 4, distinct: 4, rounds: 2 });
    expect(p.stats.environments).toBe(4);
  });

  test('no top-up round starts when the warmer itself could not finish it in time', async () => {
    const p = pool();
    const direct = poolInvoker(p);
    const lateLastCall: WarmupInvoker = async (arn, payload) => {
      const request = Object.values(payload)[0];
      if (request.index === request.concurrency - 1) await new Promise((resolve) => setTimeout(resolve, request.releaseAt - Date.now() + 100));
      return direct(arn, payload);
    };
    const summary = await createWarmer({ invoke: lateLastCall, emit: () => undefined }).warm(
      { targets: [{ functionArn: ARN, concurrency: 4 }], holdMs: 150 },
      () => 1200,
    );
    expect(summary.targets[0]).toMatchObject({ requested: 4, distinct: 3, rounds: 1 });
  });

  test('throttled calls are counted and top-ups stop at maxRounds', async () => {
    const p = pool({ reservedConcurrency: 3 });
    const summary = await createWarmer({ invoke: poolInvoker(p), emit: () => undefined, maxRounds: 2 }).warm({
      targets: [{ functionArn: ARN, concurrency: 5 }],
      holdMs: 100,
    });
    expect(summary.targets[0]).toMatchObject({ requested: 5, distinct: 3, rounds: 2, throttled: 4, failed: 0 });
    expect(summary.targets[0].firstError).toMatch(/^TooManyRequestsException: Rate Exceeded/);
  });

  test('a target not wrapped with withResilience is reported as unrecognised, without top-ups', async () => {
    const p = pool({ handlerPath: fixture('behaviours.cjs') });
    const summary = await createWarmer({ invoke: poolInvoker(p), emit: () => undefined }).warm({ targets: [{ functionArn: ARN, concurrency: 3 }], holdMs: 50 });
    expect(summary.targets[0]).toMatchObject({ requested: 3, distinct: 0, rounds: 1, unrecognised: 3 });
  });

  test('failing invocations are counted with the first error', async () => {
    const failing: WarmupInvoker = async () => {
      throw Object.assign(new Error('User: arn:... is not authorized'), { name: 'AccessDeniedException' });
    };
    const summary = await createWarmer({ invoke: failing, emit: () => undefined, maxRounds: 1 }).warm({ targets: [{ functionArn: ARN, concurrency: 2 }] });
    expect(summary.targets[0]).toMatchObject({ distinct: 0, failed: 2, firstError: 'AccessDeniedException: User: arn:... is not authorized' });
  });

  test('warms several targets in one run', async () => {
    const a = pool();
    const b = pool({ functionName: 'payments' });
    const invoke: WarmupInvoker = (arn, payload) => poolInvoker(arn.includes(':payments:') ? b : a)(arn, payload);
    const summary = await createWarmer({ invoke, emit: () => undefined }).warm({
      targets: [
        { functionArn: ARN, concurrency: 2 },
        { functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:payments:live', concurrency: 3 },
      ],
      holdMs: 150,
    });
    expect(summary.targets.map((t) => [t.target, t.distinct])).toEqual([
      ['orders:live', 2],
      ['payments:live', 3],
    ]);
  });

  describe('bad input', () => {
    const warmer = createWarmer({ invoke: async () => null, emit: () => undefined });
    test.each([
      [undefined, 'warmer: event must be { targets: [{ functionArn, concurrency }] }, got undefined'],
      [{ targets: 'all' }, 'warmer: event must be { targets: [{ functionArn, concurrency }] }, got {"targets":"all"}'],
      [{ targets: [null] }, 'targets[0] must be an object, got null'],
      [{ targets: [{ functionArn: 'orders', concurrency: 1 }] }, 'targets[0].functionArn must be a Lambda function or alias ARN, got "orders"'],
      [{ targets: [{ functionArn: ARN, concurrency: 0 }] }, 'targets[0].concurrency must be an integer from 1 to 1000, got 0'],
      [{ targets: [{ functionArn: ARN, concurrency: 2.5 }] }, 'targets[0].concurrency must be an integer from 1 to 1000, got 2.5'],
      [{ targets: [{ functionArn: ARN, concurrency: 1001 }] }, 'targets[0].concurrency must be an integer from 1 to 1000, got 1001'],
      [{ targets: [], holdMs: -1 }, 'holdMs must be a number >= 0, got -1'],
    ])('rejects %j', async (event, message) => {
      await expect(warmer.warm(event)).rejects.toThrow(message);
    });

    test('lists every problem of an event at once', async () => {
      await expect(warmer.warm({ targets: [{ functionArn: 'x', concurrency: 1 }, { functionArn: ARN, concurrency: -3 }] })).rejects.toThrow(
        'warmer: invalid event:\n  - targets[0].functionArn must be a Lambda function or alias ARN, got "x"\n  - targets[1].concurrency must be an integer from 1 to 1000, got -3',
      );
    });

    test('createWarmer without an invoker, or with a bad maxRounds', () => {
      expect(() => createWarmer({} as never)).toThrow('createWarmer: dependencies.invoke must be a function, got undefined');
      expect(() => createWarmer({ invoke: async () => null, maxRounds: 0 })).toThrow('createWarmer: dependencies.maxRounds must be an integer >= 1, got 0');
    });
  });
});
