import { ASSUMED_IDLE_MINUTES, managedInstancesAllow } from './assumptions';
import type { CostedFunction } from './app-functions';
import { autoscaledEnvironments, coldStarts, floorInits, initUsd, invocationsUsd, Load, managedInstances, provisionedHourUsd, provisionedShare, Unit, warmerRoundUsd } from './formulas';
import { MANAGED_INSTANCES_DEFAULT_INSTANCES, MANAGED_INSTANCES_MANAGEMENT_FEE, MANAGED_INSTANCES_REQUEST_PRICE_PER_MILLION, type ArchitecturePrices } from './prices';
import { boundsPerHour, firesPerHour, perMonth, Week, weekOf } from './week';

/** One way to run a function, priced for a month. */
export interface CostOption {
  readonly kind: 'on-demand' | 'warmer' | 'provisioned' | 'managed-instances';
  /** As the app synthesizes it, or what the advisor suggests it could have. */
  readonly origin: 'synthesized' | 'suggested';
  /** One line: what the option is (`warmer: 10 (BusinessHours), 2 (Nights)`). */
  readonly label: string;
  readonly monthlyUsd: number;
  readonly coldStartsPerMonth: number;
  /** The monthly cost by part (requests+duration, INIT, warm-up rounds, provisioned capacity, instances...). */
  readonly breakdown: Readonly<Record<string, number>>;
  /** Environments kept warm at the busiest moment, for the recommendation's wording. */
  readonly keepsWarm: number;
}

/** Why an option is not priced (e.g. Managed Instances for an older runtime). */
export interface SkippedOption {
  readonly kind: CostOption['kind'];
  readonly reason: string;
}

const round = (week: Week) => perMonth(week);

/** On-demand: requests, duration, and INIT billed as duration on every cold start. */
export function onDemand(unit: Unit, load: Load): CostOption {
  const cold = coldStarts(load);
  const od = unit.prices.onDemandPerGbSecond;
  const invocations = round(load.requests.map((r) => invocationsUsd(unit, r, od)));
  const init = round(cold.map((c) => initUsd(unit, c, od)));
  return { kind: 'on-demand', origin: 'synthesized', label: 'on-demand', monthlyUsd: invocations + init, coldStartsPerMonth: round(cold), breakdown: { invocations, init }, keepsWarm: 0 };
}

/** A warmer plan: rounds per hour, each warming `concurrency` environments. */
export interface WarmerRound {
  readonly name: string;
  readonly concurrency: number;
  readonly fires: Week;
}

/** The Warmer construct's schedules as synthesized, as rounds per hour of the week. */
export function synthesizedRounds(fn: CostedFunction): WarmerRound[] {
  return fn.warming.map((w) => ({ name: w.name, concurrency: w.concurrency, fires: firesPerHour(w) }));
}

/** A warmer the function could have: every 5 minutes in each hour with traffic, warming that hour's peak. */
export function suggestedRounds(load: Load): WarmerRound[] {
  const levels = [...new Set(load.peak.filter((p) => p > 0))].sort((a, b) => b - a);
  return levels.map((n) => ({ name: `peak ${n}`, concurrency: n, fires: load.peak.map((p) => (p === n ? 12 : 0)) }));
}

/**
 * Warmer: on-demand traffic, plus the warm-up rounds, plus the INIT of the environments the warmer (re)creates;
 * requests see cold starts only beyond the warm floor, or in hours the rounds leave uncovered.
 */
export function warmed(unit: Unit, load: Load, rounds: readonly WarmerRound[], origin: CostOption['origin'], label = `warmer: ${rounds.map((r) => `${r.concurrency} (${r.name})`).join(', ')}`): CostOption {
  const floor = weekOf((h) => Math.max(0, ...rounds.filter((r) => r.fires[h] > 0).map((r) => r.concurrency)));
  // Rounds every idle-timeout or more often keep the floor warm all hour; sparser ones only part of it.
  const coverage = weekOf((h) => Math.min(1, Math.max(0, ...rounds.filter((r) => r.concurrency === floor[h]).map((r) => r.fires[h])) * ASSUMED_IDLE_MINUTES / 60));
  const cold = coldStarts(load, floor, coverage);
  const od = unit.prices.onDemandPerGbSecond;
  const invocations = round(load.requests.map((r) => invocationsUsd(unit, r, od)));
  const init = round(cold.map((c) => initUsd(unit, c, od)));
  const warmup = round(weekOf((h) => rounds.reduce((sum, r) => sum + r.fires[h] * warmerRoundUsd(unit, r.concurrency), 0)));
  const warmerInit = round(floorInits(floor.map((f, h) => f * coverage[h])).map((n) => initUsd(unit, n, od)));
  return {
    kind: 'warmer', origin, label, monthlyUsd: invocations + init + warmup + warmerInit, coldStartsPerMonth: round(cold),
    breakdown: { invocations, init, warmupRounds: warmup, warmerInit }, keepsWarm: Math.max(...floor),
  };
}

/** Provisioned environments in each hour, as the synthesized configuration sets them. */
export function synthesizedEnvironments(fn: CostedFunction, load: Load): Week | undefined {
  const pc = fn.provisioned;
  if (!pc) return undefined;
  const bounds = boundsPerHour({ min: pc.minCapacity, max: pc.maxCapacity }, pc.schedules);
  if (pc.mode === 'autoscaled') return bounds.map((b, h) => autoscaledEnvironments(load.concurrency[h], pc.utilizationTarget!, b));
  return bounds.map((b) => b.min);
}

/**
 * Provisioned concurrency: capacity for every configured hour, requests it serves at the PC duration price, the
 * rest on demand; INIT of provisioned environments runs outside requests but is billed as PC duration; requests
 * beyond the provisioned environments start cold as on demand.
 */
export function provisioned(unit: Unit, load: Load, environments: Week, label: string, origin: CostOption['origin']): CostOption {
  const { onDemandPerGbSecond: od, provisionedDurationPerGbSecond: pcd } = unit.prices;
  const cold = coldStarts(load, environments, environments.map((e) => (e > 0 ? 1 : 0)));
  const capacity = round(environments.map((e) => provisionedHourUsd(unit, e)));
  const share = environments.map((e, h) => provisionedShare(e, load.concurrency[h]));
  const invocations = round(load.requests.map((r, h) => invocationsUsd(unit, r * share[h], pcd) + invocationsUsd(unit, r * (1 - share[h]), od)));
  const init = round(cold.map((c) => initUsd(unit, c, od)));
  const provisionedInit = round(floorInits(environments).map((n) => initUsd(unit, n, pcd)));
  return {
    kind: 'provisioned', origin, label, monthlyUsd: capacity + invocations + init + provisionedInit, coldStartsPerMonth: round(cold),
    breakdown: { capacity, invocations, init, provisionedInit }, keepsWarm: Math.max(...environments),
  };
}

/** Label of the synthesized provisioned concurrency (`provisioned: autoscaled 1-10 at 70%, 2 scheduled actions`). */
export function provisionedLabel(fn: CostedFunction): string {
  const pc = fn.provisioned!;
  const actions = pc.schedules.length ? `, ${pc.schedules.map((s) => `${s.name} ${s.minCapacity ?? '·'}-${s.maxCapacity ?? '·'}`).join(', ')}` : '';
  if (pc.mode === 'fixed') return `provisioned: fixed ${pc.minCapacity}`;
  if (pc.mode === 'scheduled') return `provisioned: scheduled, ${pc.minCapacity} outside windows${actions}`;
  return `provisioned: autoscaled ${pc.minCapacity}-${pc.maxCapacity} at ${Math.round(pc.utilizationTarget! * 100)}%${actions}`;
}

/**
 * Lambda Managed Instances: instances all month (the default three, more when the average concurrency needs
 * more vCPUs) with the management fee, plus requests; no duration, no cold starts once instances run.
 */
export function managed(fn: CostedFunction, load: Load, prices: ArchitecturePrices): CostOption | SkippedOption {
  if (fn.packageType === 'Image' || !managedInstancesAllow(fn.runtime)) {
    return { kind: 'managed-instances', reason: `runtime ${fn.runtime} cannot run on Managed Instances (Node.js 22+, Python 3.13+, Java 21+, .NET 8+, provided.al2023)` };
  }
  const instance = prices.managedInstance;
  if (!instance) return { kind: 'managed-instances', reason: `no EC2 instance price recorded for ${fn.architecture} in this region (lib/cost/prices.ts)` };
  const instances = load.concurrency.map((c) => managedInstances(c, instance, MANAGED_INSTANCES_DEFAULT_INSTANCES));
  const compute = round(instances.map((n) => n * instance.usdPerHour * (1 + MANAGED_INSTANCES_MANAGEMENT_FEE)));
  const requests = round(load.requests.map((r) => (r * MANAGED_INSTANCES_REQUEST_PRICE_PER_MILLION) / 1e6));
  return {
    kind: 'managed-instances', origin: 'suggested', label: `managed instances: ${Math.max(...instances)} × ${instance.instanceType}`,
    monthlyUsd: compute + requests, coldStartsPerMonth: 0, breakdown: { instances: compute, requests }, keepsWarm: 0,
  };
}
