import { join } from 'node:path';
import { WARMUP_KEY, WarmupResponse } from '../../../lib/contract';
import { FunctionPool } from '../../../lib/local';
import { bundleFixture } from '../../local/execution/support/bundle-fixture';

let handlerPath: string;
const pools: FunctionPool[] = [];
beforeAll(() => {
  handlerPath = bundleFixture(join(__dirname, 'fixtures', 'warm-target.ts'));
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
function pool(timeoutMs = 3000): FunctionPool {
  const p = new FunctionPool({ functionName: 'warm-target', handlerPath, timeoutMs, onLog: () => undefined });
  pools.push(p);
  return p;
}
const batch = (n: number, releaseAt: number, batchId = 'b') =>
  Array.from({ length: n }, (_, index) => ({ [WARMUP_KEY]: { batchId, index, concurrency: n, releaseAt } }));

describe('withResilience inside Lambda-like environments', () => {
  test('a batch held until a shared releaseAt occupies one environment per call; ids are per environment', async () => {
    const p = pool();
    const first = await Promise.all(batch(8, Date.now() + 300).map((e) => p.invoke(e)));
    const responses = first.map((r) => r.payload as WarmupResponse);
    expect(new Set(responses.map((r) => r.instanceId)).size).toBe(8);
    expect(new Set(first.map((r) => r.facts.environmentId)).size).toBe(8);
    expect(responses.every((r) => r.cold)).toBe(true);

    const second = await Promise.all(batch(8, Date.now() + 300, 'b2').map((e) => p.invoke(e)));
    const again = second.map((r) => r.payload as WarmupResponse);
    expect(new Set(again.map((r) => r.instanceId))).toEqual(new Set(responses.map((r) => r.instanceId)));
    expect(again.some((r) => r.cold)).toBe(false);
    expect(second.some((r) => r.facts.cold)).toBe(false);
  });

  test('the hold ends before the function timeout, so the environment survives a release time far away', async () => {
    const p = pool(1000);
    const result = await p.invoke(batch(1, Date.now() + 60_000)[0]);
    expect(result.facts.timedOut).toBe(false);
    expect((result.payload as WarmupResponse).warmup).toBe(true);
    const next = await p.invoke({});
    expect(next.facts).toMatchObject({ cold: false, environmentId: result.facts.environmentId });
    expect(next.payload).toEqual({ statusCode: 200, body: 'Hello, Serverless!' });
  });
});
