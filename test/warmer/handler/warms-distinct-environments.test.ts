/*
 * The proof of the warmer: the real warmer logic with the production SDK invoker, over the local Invoke API,
 * against Lambda-like environments. Distinct environments are counted by the pool, not by the warmer.
 */
import { Preexisting, WarmingLab } from './support/warming-lab';

// Short holds keep the suite fast; when a hold proves too short for the machine, the top-up round covers it.
const HOLD_MS = 300;

let lab: WarmingLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

async function labWith(pre: Preexisting): Promise<WarmingLab> {
  lab = await WarmingLab.start();
  await lab.prepare(pre);
  return lab;
}

// Pools holding only idle environments are covered by the comparison with the naive warmer below.
const scenarios = (n: number): [string, Preexisting][] => [
  ['an empty pool', { idle: 0, busy: 0 }],
  ['a pool with idle and busy environments', { idle: Math.ceil(n / 4), busy: Math.ceil(n / 4) }],
];

describe.each([1, 5, 20, 50])('warming N = %i', (n) => {
  test.each(scenarios(n))('warms exactly N distinct environments in %s, and a burst of N then sees no cold start', async (_label, pre) => {
    const l = await labWith(pre);
    const measured = await l.warmWithOurs(n, HOLD_MS);
    expect(measured.distinct).toBe(n);
    const target = measured.summary!.targets[0];
    expect(target).toMatchObject({ requested: n, distinct: n, throttled: 0, failed: 0, unrecognised: 0 });
    expect(measured.idleAfter).toBeGreaterThanOrEqual(n);
    const burst = await l.burst(n);
    expect(burst).toEqual({ cold: 0, environments: n });
  });
});

describe('the naive fire-N-pings warmer (test-only baseline) in the same setup', () => {
  test.each([20, 50])('N = %i on a pool with idle environments: naive warms fewer than N, ours exactly N', async (n) => {
    const pre = { idle: n / 2, busy: 0 };
    const naive = await (await labWith(pre)).warmNaively(n);
    const naiveBurst = await lab!.burst(n);
    await lab!.close();

    const ours = await (await labWith(pre)).warmWithOurs(n, HOLD_MS);
    const oursBurst = await lab!.burst(n);

    // Side by side in the test output, measured rather than assumed.
    console.log(
      `N=${n}, ${pre.idle} idle before: naive warmed ${naive.distinct}/${n} (burst cold starts ${naiveBurst.cold}), ` +
        `ours warmed ${ours.distinct}/${n} (burst cold starts ${oursBurst.cold})`,
    );
    expect(naive.distinct).toBeLessThan(n);
    expect(naiveBurst.cold).toBeGreaterThan(0);
    expect(ours.distinct).toBe(n);
    expect(oursBurst.cold).toBe(0);
  });

  test('N = 20 with busy environments: naive warms fewer than N, ours exactly N', async () => {
    const pre = { idle: 5, busy: 5 };
    const naive = await (await labWith(pre)).warmNaively(20);
    await lab!.close();
    const ours = await (await labWith(pre)).warmWithOurs(20, HOLD_MS);
    console.log(`N=20, 5 idle + 5 busy before: naive warmed ${naive.distinct}/20, ours warmed ${ours.distinct}/20`);
    expect(naive.distinct).toBeLessThan(20);
    expect(ours.distinct).toBe(20);
  });
});

describe('the SDK socket limit', () => {
  test('an invoker limited to fewer sockets than N queues calls past the release and cannot warm N', async () => {
    lab = await WarmingLab.start({ maxSockets: 5 });
    const starved = await lab.warmWithOurs(20, HOLD_MS);
    await lab.close();
    lab = await WarmingLab.start({ maxSockets: 20 });
    const enough = await lab.warmWithOurs(20, HOLD_MS);
    console.log(`N=20: maxSockets 5 warmed ${starved.distinct}/20 in ${starved.summary!.targets[0].rounds} rounds, maxSockets 20 warmed ${enough.distinct}/20`);
    expect(starved.distinct).toBeLessThan(20);
    expect(enough.distinct).toBe(20);
  });
});
