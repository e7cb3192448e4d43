import { ASSUMED_ENVIRONMENT_LIFETIME_HOURS, ASSUMED_IDLE_MINUTES, MANAGED_INSTANCES_CPU_SHARE, MANAGED_INSTANCES_TARGET_UTILIZATION, WARMER_MEMORY_MB, WARMER_OVERHEAD_SECONDS, warmerHoldSeconds } from './assumptions';
import type { ArchitecturePrices, InstancePrice } from './prices';
import { Week, weekOf } from './week';

/*
 * The formulas, hour by hour over the model week. Every function here is pure: test/cost/formulas.test.ts
 * checks each against a case computed by hand.
 */

/** One function's unit figures: memory, request duration and INIT duration, and its prices. */
export interface Unit {
  readonly memoryGb: number;
  readonly durationSeconds: number;
  readonly initSeconds: number;
  readonly prices: ArchitecturePrices;
}

/** The function's load in each hour: requests, average concurrency and peak concurrency. */
export interface Load {
  /** Random (Poisson) arrivals, or periodic ones (a function only schedules invoke). */
  readonly arrivals: 'random' | 'periodic';
  readonly requests: Week;
  readonly concurrency: Week;
  readonly peak: Week;
}

/**
 * Load from requests per hour: average concurrency = requests/s × duration (Little's law); the peak of the
 * busiest hour is `peakConcurrency`, or twice its average concurrency (at least 1); other hours' peaks scale
 * with their requests.
 */
export function loadOf(requests: Week, durationSeconds: number, peakConcurrency?: number, arrivals: Load['arrivals'] = 'random'): Load {
  const concurrency = requests.map((r) => (r / 3600) * durationSeconds);
  const busiest = Math.max(...requests);
  const peak = peakConcurrency ?? Math.max(1, Math.ceil(2 * Math.max(...concurrency)));
  return { arrivals, requests, concurrency, peak: requests.map((r) => (r > 0 ? Math.max(1, Math.ceil((peak * r) / busiest)) : 0)) };
}

/**
 * Expected cold starts that requests see in each hour, given environments kept warm (`warm`) for a share of
 * the hour (`coverage`: 1 = all hour, 0 = not at all):
 * - idle gaps: a request arriving more than the idle timeout after the previous one finds no environment;
 *   with Poisson arrivals at λ per second that is requests × e^(−λ·idle), for the share of the hour not covered;
 * - ramps: environments beyond the warm ones, created when the hour's peak exceeds the previous hour's;
 * - recycling: environments beyond the warm ones that live long enough to be recycled, peak / lifetime per hour.
 * Never more than one per request. Schedule-driven arrivals are periodic rather than random: a gap then
 * reclaims the environment either every time (interval > idle timeout) or never.
 */
export function coldStarts(load: Load, warm: Week = weekOf(() => 0), coverage: Week = weekOf(() => 0)): number[] {
  const idleSeconds = ASSUMED_IDLE_MINUTES * 60;
  const excess = load.peak.map((p, h) => Math.max(0, p - warm[h] * coverage[h]));
  return load.requests.map((r, h) => {
    if (r === 0) return 0;
    const stayIdle = load.arrivals === 'periodic' ? (3600 / r > idleSeconds ? 1 : 0) : Math.exp(-(r / 3600) * idleSeconds);
    const gaps = r * stayIdle * (1 - coverage[h]);
    const previous = excess[(h + excess.length - 1) % excess.length];
    const ramp = Math.max(0, excess[h] - previous);
    const recycled = (excess[h] * (1 - stayIdle)) / ASSUMED_ENVIRONMENT_LIFETIME_HOURS;
    return Math.min(r, gaps + ramp + recycled);
  });
}

/** Requests and their duration at one duration price. */
export function invocationsUsd(unit: Unit, requests: number, durationPerGbSecond: number): number {
  return requests * (unit.prices.requestPerMillion / 1e6 + unit.durationSeconds * unit.memoryGb * durationPerGbSecond);
}

/** INIT phases billed as duration (on-demand since 2025-08-01; provisioned concurrency always). */
export function initUsd(unit: Unit, inits: number, durationPerGbSecond: number): number {
  return inits * unit.initSeconds * unit.memoryGb * durationPerGbSecond;
}

/** Environments a warm floor (re)creates in each hour: a new floor's increase, plus the floor / lifetime. */
export function floorInits(floor: Week): number[] {
  return floor.map((f, h) => f / ASSUMED_ENVIRONMENT_LIFETIME_HOURS + Math.max(0, f - floor[(h + floor.length - 1) % floor.length]));
}

/**
 * One warmer round for N environments: N held warm-up calls of the target (request + hold at the target's
 * memory) and one run of the warmer function itself (256 MB, the hold plus its own overhead).
 */
export function warmerRoundUsd(unit: Unit, concurrency: number): number {
  const hold = warmerHoldSeconds(concurrency);
  const request = unit.prices.requestPerMillion / 1e6;
  const od = unit.prices.onDemandPerGbSecond;
  return concurrency * (request + hold * unit.memoryGb * od) + request + (hold + WARMER_OVERHEAD_SECONDS) * (WARMER_MEMORY_MB / 1024) * od;
}

/** Provisioned concurrency configured for one hour: environments × GB × 3600 s × the PC price. */
export function provisionedHourUsd(unit: Unit, environments: number): number {
  return environments * unit.memoryGb * 3600 * unit.prices.provisionedPerGbSecond;
}

/** Share of an hour's requests that provisioned environments serve: all while they cover the average concurrency. */
export function provisionedShare(environments: number, concurrency: number): number {
  return concurrency > 0 ? Math.min(1, environments / concurrency) : 1;
}

/** Target tracking: environments = average concurrency / utilisation target, rounded up, within the hour's bounds. */
export function autoscaledEnvironments(concurrency: number, target: number, bounds: { min: number; max: number }): number {
  return Math.min(bounds.max, Math.max(bounds.min, Math.ceil(concurrency / target)));
}

/**
 * Lambda Managed Instances instances in an hour: the vCPUs the average concurrency needs at the target
 * utilisation, in whole instances, never fewer than the default three.
 */
export function managedInstances(concurrency: number, instance: InstancePrice, minimum: number): number {
  const vcpus = (concurrency * MANAGED_INSTANCES_CPU_SHARE) / MANAGED_INSTANCES_TARGET_UTILIZATION;
  return Math.max(minimum, Math.ceil(vcpus / instance.vcpus));
}
