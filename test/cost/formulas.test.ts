import { HOURS_PER_WEEK, WEEKS_PER_MONTH } from '../../lib/cost/assumptions';
import type { CostedFunction } from '../../lib/cost/app-functions';
import { autoscaledEnvironments, coldStarts, loadOf, managedInstances, Unit, warmerRoundUsd } from '../../lib/cost/formulas';
import { managed, onDemand, provisioned, synthesizedEnvironments, synthesizedRounds, warmed } from '../../lib/cost/options';
import { M7G_LARGE_US_EAST_1, REGION_PRICES } from '../../lib/cost/prices';
import { boundsPerHour, firesPerHour, requestsPerHour, weekOf } from '../../lib/cost/week';

/*
 * Each figure below is computed by hand in the comment beside it, from the us-east-1 arm64 prices:
 * request $0.0000002, on-demand $0.0000133334/GB-s, provisioned $0.0000033334/GB-s, provisioned duration
 * $0.0000077778/GB-s; a month is 730 h = 730/168 weeks.
 */
const arm = REGION_PRICES['us-east-1'].arm64;
const unit: Unit = { memoryGb: 0.5, durationSeconds: 0.1, initSeconds: 0.25, prices: arm };
const uniform = (requestsPerMonth: number) => weekOf(() => requestsPerMonth / WEEKS_PER_MONTH / HOURS_PER_WEEK);
const fn = (overrides: Partial<CostedFunction>): CostedFunction => ({
  stackName: 'S', logicalId: 'F', path: 'F', memoryMb: 512, architecture: 'arm64', runtime: 'nodejs24.x', packageType: 'Zip',
  warming: [], scheduledBy: [], onlyScheduled: false, onlyAsynchronous: false, ...overrides,
});

describe('load and cold starts', () => {
  test('a million requests a month, spread evenly: 1369.9 an hour, average concurrency 0.038, peak 1', () => {
    const load = loadOf(uniform(1_000_000), 0.1);
    // 1e6 / 730 h = 1369.86 requests/h; × 0.1 s / 3600 s = 0.03805 concurrent; peak = max(1, ceil(2 × 0.03805)) = 1
    expect(load.requests[0]).toBeCloseTo(1369.863, 3);
    expect(load.concurrency[0]).toBeCloseTo(0.038052, 6);
    expect(load.peak.every((p) => p === 1)).toBe(true);
  });

  test('steady traffic: no idle gaps, one environment recycled every 2 h: 0.5 an hour, 365 a month', () => {
    const cold = coldStarts(loadOf(weekOf(() => 3600), 0.1));
    // λ = 1/s: e^(−1 × 600) ≈ 0, so no gaps; no ramp (peak 1 every hour); recycling 1 × (1 − 0) / 2 h = 0.5
    expect(cold[0]).toBeCloseTo(0.5, 9);
    // 0.5 × 168 h = 84 a week; × 730/168 = 365 a month
    expect(cold.reduce((a, b) => a + b, 0) * WEEKS_PER_MONTH).toBeCloseTo(365, 6);
  });

  test('sparse traffic: six requests an hour find the environment gone 37% of the time', () => {
    const cold = coldStarts(loadOf(weekOf(() => 6), 0.1));
    // λ = 6/3600 = 1/600 per s; P(gap > 600 s) = e^(−1) = 0.367879; gaps 6 × 0.367879 = 2.207277
    // recycling 1 × (1 − 0.367879) / 2 = 0.316060; total 2.523337
    expect(cold[0]).toBeCloseTo(2.523337, 5);
  });

  test('schedule-driven arrivals are periodic: every 5 minutes never idles out, hourly always does', () => {
    const everyFive = coldStarts(loadOf(weekOf(() => 12), 0.1, 1, 'periodic'));
    // 3600/12 = 300 s < 600 s idle: no gaps; recycling 1 × (1 − 0) / 2 = 0.5 an hour
    expect(everyFive[0]).toBeCloseTo(0.5, 9);
    const hourly = coldStarts(loadOf(weekOf(() => 1), 0.1, 1, 'periodic'));
    // 3600 s > 600 s: the one request is always cold (gaps 1 × 1 = 1, capped at the 1 request)
    expect(hourly[0]).toBe(1);
  });

  test('a warm floor at the peak leaves no cold starts; one below it ramps and recycles the rest', () => {
    const load = loadOf(weekOf(() => 3600), 0.1, 3);
    expect(coldStarts(load, weekOf(() => 3), weekOf(() => 1))[0]).toBe(0);
    // floor 1, peak 3: excess 2 every hour (no ramp), recycling 2 × (1 − 0) / 2 = 1 an hour
    expect(coldStarts(load, weekOf(() => 1), weekOf(() => 1))[0]).toBeCloseTo(1, 9);
  });
});

describe('options, a month of a million evenly spread 100 ms requests at 512 MB arm64', () => {
  const load = loadOf(uniform(1_000_000), 0.1);

  test('on-demand: requests + duration, and INIT on each of the 365 cold starts', () => {
    const option = onDemand(unit, load);
    // 1e6 × ($0.0000002 + 0.1 s × 0.5 GB × $0.0000133334) = $0.2 + $0.66667 = $0.86667
    expect(option.breakdown.invocations).toBeCloseTo(0.86667, 5);
    // 365 × 0.25 s × 0.5 GB × $0.0000133334 = $0.000608336
    expect(option.breakdown.init).toBeCloseTo(0.000608336, 8);
    expect(option.coldStartsPerMonth).toBeCloseTo(365, 6);
    expect(option.monthlyUsd).toBeCloseTo(0.867278, 5);
  });

  test('provisioned, fixed 1: capacity all month, requests at the PC duration price, INIT of recycled environments', () => {
    const option = provisioned(unit, load, weekOf(() => 1), 'provisioned: fixed 1', 'synthesized');
    // 1 × 0.5 GB × 3600 s × $0.0000033334 = $0.00600012 an hour; × 730 h = $4.3800876
    expect(option.breakdown.capacity).toBeCloseTo(4.3800876, 6);
    // all served by PC (0.038 ≤ 1): 1e6 × ($0.0000002 + 0.1 × 0.5 × $0.0000077778) = $0.2 + $0.38889 = $0.58889
    expect(option.breakdown.invocations).toBeCloseTo(0.58889, 5);
    // recycled every 2 h: 365 INITs × 0.25 s × 0.5 GB × $0.0000077778 = $0.000354862
    expect(option.breakdown.provisionedInit).toBeCloseTo(0.000354862, 8);
    expect(option.coldStartsPerMonth).toBe(0);
    expect(option.monthlyUsd).toBeCloseTo(4.9693325, 5);
  });

  test('one warmer round of 10 environments', () => {
    // hold 1 s + 20 ms × 10 = 1.2 s; 10 × ($0.0000002 + 1.2 × 0.5 × $0.0000133334) = $0.0000820004
    // warmer run: $0.0000002 + (1.2 + 0.5) s × 0.25 GB × $0.0000133334 = $0.0000058667; total $0.0000878671
    expect(warmerRoundUsd(unit, 10)).toBeCloseTo(0.0000878671, 10);
  });

  test("the example's Quote warmer leaves weekend daytimes uncovered: 52 cold starts a month", () => {
    const quote = fn({ warming: [
      { name: 'BusinessHours', expression: 'cron(0/5 8-17 ? * MON-FRI *)', concurrency: 10 },
      { name: 'Nights', expression: 'cron(0/5 0-7,18-23 ? * * *)', concurrency: 2 },
    ] });
    const option = warmed(unit, load, synthesizedRounds(quote), 'synthesized');
    // Saturday and Sunday 08-18: 20 uncovered hours × 0.5 recycled = 10, plus a ramp 0 → 1 at 08:00 each day = 2;
    // 12 a week × 730/168 = 52.14
    expect(option.coldStartsPerMonth).toBeCloseTo(52.142857, 5);
    // rounds: 600 a week of 10 and 1176 of 2 (see the schedule test), × 730/168
    const rounds = (600 * warmerRoundUsd(unit, 10) + 1176 * warmerRoundUsd(unit, 2)) * WEEKS_PER_MONTH;
    expect(option.breakdown.warmupRounds).toBeCloseTo(rounds, 9);
  });

  test('Managed Instances: three m7g.large all month with the 15% fee, plus requests', () => {
    const option = managed(fn({}), load, arm);
    // 3 × $0.0816 = $0.2448 an hour; × 1.15 = $0.28152; × 730 h = $205.5096; requests 1e6 × $0.2/1e6 = $0.2
    expect('monthlyUsd' in option && option.monthlyUsd).toBeCloseTo(205.7096, 4);
    expect(managed(fn({ runtime: 'nodejs20.x' }), load, arm)).toEqual({ kind: 'managed-instances', reason: expect.stringContaining('runtime nodejs20.x cannot run on Managed Instances') });
    expect(managed(fn({}), load, REGION_PRICES['eu-west-1'].arm64)).toEqual({ kind: 'managed-instances', reason: expect.stringContaining('no EC2 instance price recorded for arm64') });
  });
});

describe('capacity rules', () => {
  test('target tracking: average concurrency / target, rounded up, within the bounds', () => {
    expect(autoscaledEnvironments(3.5, 0.7, { min: 1, max: 10 })).toBe(5); // ceil(3.5 / 0.7) = 5
    expect(autoscaledEnvironments(10, 0.7, { min: 1, max: 10 })).toBe(10); // ceil(14.29) = 15 → max 10
    expect(autoscaledEnvironments(0.1, 0.7, { min: 5, max: 20 })).toBe(5); // ceil(0.14) = 1 → min 5
  });

  test('Managed Instances: vCPUs at 50% utilisation, whole instances, at least three', () => {
    expect(managedInstances(0.04, M7G_LARGE_US_EAST_1, 3)).toBe(3);
    expect(managedInstances(4, M7G_LARGE_US_EAST_1, 3)).toBe(4); // 4 / 0.5 = 8 vCPUs = 4 × 2 vCPU
  });

  test("the example's Hello: scheduled actions set the bounds hour by hour, carried over the weekend", () => {
    const bounds = boundsPerHour({ min: 1, max: 10 }, [
      { name: 'BusinessHours', expression: 'cron(0 8 ? * MON-FRI *)', minCapacity: 5, maxCapacity: 20 },
      { name: 'Night', expression: 'cron(0 19 ? * MON-FRI *)', minCapacity: 1, maxCapacity: 10 },
    ]);
    expect(bounds[0]).toEqual({ min: 1, max: 10 }); // Monday 00:00: Friday 19:00 still holds
    expect(bounds[8]).toEqual({ min: 5, max: 20 }); // Monday 08:00
    expect(bounds[18]).toEqual({ min: 5, max: 20 });
    expect(bounds[19]).toEqual({ min: 1, max: 10 });
    expect(bounds[5 * 24 + 12]).toEqual({ min: 1, max: 10 }); // Saturday noon
    const hello = fn({ provisioned: { mode: 'scheduled', minCapacity: 1, maxCapacity: 10, schedules: [{ name: 'B', expression: 'cron(0 8 ? * MON-FRI *)', minCapacity: 5 }, { name: 'N', expression: 'cron(0 19 ? * MON-FRI *)', minCapacity: 1 }] } });
    const envs = synthesizedEnvironments(hello, loadOf(uniform(1_000_000), 0.1))!;
    // 5 environments for 11 hours (08-19) × 5 days, 1 for the other 113 hours: 275 + 113 = 388 environment-hours a week
    expect(envs.reduce((a, b) => a + b, 0)).toBe(388);
  });

  test('schedules: fires per hour of the week, in their time zone', () => {
    const business = firesPerHour({ expression: 'cron(0/5 8-17 ? * MON-FRI *)' });
    expect([business[7], business[8], business[17], business[18], business[5 * 24 + 8]]).toEqual([0, 12, 12, 0, 0]);
    expect(business.reduce((a, b) => a + b, 0)).toBe(600); // 5 days × 10 hours × 12
    expect(firesPerHour({ expression: 'cron(0/5 0-7,18-23 ? * * *)' }).reduce((a, b) => a + b, 0)).toBe(1176); // 7 × 14 × 12
    // 02:00 Paris in January is 01:00 UTC
    const nightly = firesPerHour({ expression: 'cron(0 2 * * ? *)', timezone: 'Europe/Paris' });
    expect(nightly.map((n, h) => (n ? h % 24 : -1)).filter((h) => h >= 0)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(firesPerHour({ expression: 'rate(5 minutes)' }).every((n) => n === 12)).toBe(true);
  });

  test('business hours: the share of requests spread over Monday-Friday START-END, the rest elsewhere', () => {
    const week = requestsPerHour({ requestsPerMonth: 730_000, avgDurationMs: 100, initMs: 0, businessHours: { start: 8, end: 18 }, businessShare: 0.8 });
    // 730,000 a month = 168,000 a week; 80% over 50 business hours = 2688/h; 20% over 118 others = 284.75/h
    expect(week[8]).toBeCloseTo(2688, 9);
    expect(week[7]).toBeCloseTo(284.745763, 5);
    expect(week[5 * 24 + 10]).toBeCloseTo(284.745763, 5);
  });
});
