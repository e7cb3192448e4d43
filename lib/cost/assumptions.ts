/*
 * What the cost advisor assumes where AWS publishes no figure. Each is a named constant so the README, the
 * JSON output and the tests state the same numbers.
 */

/** Hours in the billing month AWS's own examples use (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** Hours in a week: the advisor models one typical week, hour by hour, and scales it to a month. */
export const HOURS_PER_WEEK = 168;

/** Weeks in a month: 730 / 168. */
export const WEEKS_PER_MONTH = HOURS_PER_MONTH / HOURS_PER_WEEK;

/**
 * Minutes an idle execution environment survives before Lambda reclaims it. Undocumented; observed between 5
 * and 15 minutes, and the reason the warmer runs every 5 minutes.
 */
export const ASSUMED_IDLE_MINUTES = 10;

/**
 * Hours an execution environment lives even when busy: Lambda recycles environments periodically (also
 * provisioned ones). Undocumented; observed around two hours.
 */
export const ASSUMED_ENVIRONMENT_LIFETIME_HOURS = 2;

/** The warmer holds each warm-up call 1 s + 20 ms per call of the round (its default `holdMs`). */
export function warmerHoldSeconds(concurrency: number): number {
  return 1 + 0.02 * concurrency;
}

/** The warmer function itself: 256 MB (lib/warmer/warmer.ts), running half a second longer than the round it holds. */
export const WARMER_MEMORY_MB = 256;
export const WARMER_OVERHEAD_SECONDS = 0.5;

/**
 * Lambda Managed Instances: vCPUs a function needs = its average concurrency × this share of a request's
 * duration spent on the CPU, at this target utilisation. A whole request on the CPU is the cautious default.
 */
export const MANAGED_INSTANCES_CPU_SHARE = 1;
export const MANAGED_INSTANCES_TARGET_UTILIZATION = 0.5;

/**
 * Runtimes Lambda Managed Instances accept: Node.js 22+, Python 3.13+, Java 21+, .NET 8+, and provided.al2023
 * (Rust). Older versions and other runtimes cannot move there.
 */
export function managedInstancesAllow(runtime: string): boolean {
  const version = (prefix: string) => (runtime.startsWith(prefix) ? Number(runtime.slice(prefix.length).replace(/\.x$/, '')) : NaN);
  if (version('nodejs') >= 22) return true;
  if (runtime.startsWith('python3.') && Number(runtime.slice('python3.'.length)) >= 13) return true;
  if (version('java') >= 21) return true;
  if (version('dotnet') >= 8) return true;
  return runtime === 'provided.al2023';
}
