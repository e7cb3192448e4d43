import { readCostedFunctions, type CostedFunction } from './app-functions';
import { loadOf, type Load, type Unit } from './formulas';
import { CostOption, managed, onDemand, provisioned, provisionedLabel, SkippedOption, suggestedRounds, synthesizedEnvironments, synthesizedRounds, warmed } from './options';
import { KNOWN_REGIONS, regionPrices, type RegionPrices } from './prices';
import { recommend, type Recommendation } from './recommendation';
import { TrafficError, trafficFor, type TrafficFile, type TrafficOverrides, type TrafficShape } from './traffic';
import { firesPerHour, perMonth, requestsPerHour, weekOf } from './week';

export interface CostAdvisorOptions {
  /** The cloud assembly directory (cdk.out). */
  readonly assembly: string;
  readonly stack?: string;
  readonly region: string;
  /** Traffic from the command line's flags. */
  readonly flags?: TrafficOverrides;
  readonly trafficFile?: TrafficFile;
  /** Cold starts a function may see, as a share of its requests, before the advisor recommends keeping environments warm. */
  readonly coldStartBudget: number;
}

/** The advice for one function: its traffic, every option priced, what was not priced and why, and the pick. */
export interface FunctionAdvice {
  readonly stackName: string;
  readonly logicalId: string;
  readonly path: string;
  readonly memoryMb: number;
  readonly architecture: string;
  readonly runtime: string;
  readonly traffic: TrafficShape & { readonly source: string; readonly peakConcurrencyUsed: number };
  readonly options: readonly CostOption[];
  readonly skipped: readonly SkippedOption[];
  readonly recommendation: Recommendation;
}

export interface CostReport {
  readonly region: string;
  readonly prices: RegionPrices;
  readonly coldStartBudget: number;
  readonly functions: readonly FunctionAdvice[];
}

/** Reads the assembly's functions and prices every option for each; bad input fails before any output. */
export function adviseCosts(options: CostAdvisorOptions): CostReport {
  const prices = regionPrices(options.region);
  if (!prices) throw new TrafficError(`No prices recorded for region ${JSON.stringify(options.region)} (--region): known regions are ${KNOWN_REGIONS.join(', ')}`);
  const functions = readCostedFunctions(options.assembly, options.stack, options.region);
  const overrides = matchOverrides(functions, options.trafficFile);
  return {
    region: options.region,
    prices,
    coldStartBudget: options.coldStartBudget,
    functions: functions.map((fn) => adviseFunction(fn, prices, options, overrides.get(fn))),
  };
}

function adviseFunction(fn: CostedFunction, prices: RegionPrices, options: CostAdvisorOptions, own: TrafficOverrides | undefined): FunctionAdvice {
  const archPrices = prices[fn.architecture];
  const layers = [options.trafficFile?.default ?? {}, options.flags ?? {}, own ?? {}];
  const traffic = trafficFor(layers);
  // A function only schedules invoke runs as often as they fire, unless its own traffic entry says otherwise.
  const scheduled = fn.onlyScheduled && own?.requestsPerMonth === undefined;
  const fires = fn.scheduledBy.map((s) => firesPerHour(s));
  const requests = scheduled ? weekOf((h) => fires.reduce((sum, f) => sum + f[h], 0)) : requestsPerHour(traffic);
  const unit: Unit = { memoryGb: fn.memoryMb / 1024, durationSeconds: traffic.avgDurationMs / 1000, initSeconds: traffic.initMs / 1000, prices: archPrices };
  // Schedule runs come one at a time unless the function's own entry says otherwise; the app-wide peak is not theirs.
  const peak = scheduled ? own?.peakConcurrency : traffic.peakConcurrency;
  const load = loadOf(requests, unit.durationSeconds, peak, scheduled ? 'periodic' : 'random');
  const requestsPerMonth = scheduled ? perMonth(requests) : traffic.requestsPerMonth;

  const priced: CostOption[] = [onDemand(unit, load)];
  const skipped: SkippedOption[] = [];
  priced.push(...warmerOptions(fn, unit, load));
  priced.push(...provisionedOptions(fn, unit, load));
  const lmi = managed(fn, load, archPrices);
  if ('reason' in lmi) skipped.push(lmi);
  else priced.push(lmi);

  return {
    stackName: fn.stackName,
    logicalId: fn.logicalId,
    path: fn.path,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    runtime: fn.runtime,
    traffic: {
      ...traffic,
      requestsPerMonth,
      source: scheduled ? `its schedules (${fn.scheduledBy.map((s) => s.expression).join(', ')})` : own ? 'traffic file entry' : 'default',
      peakConcurrencyUsed: Math.max(...load.peak),
    },
    options: priced,
    skipped,
    recommendation: recommend(priced, requestsPerMonth, options.coldStartBudget, fn),
  };
}

/** The warmer as synthesized, and (when it has none, or it warms fewer than the peak) one sized to the traffic. */
function warmerOptions(fn: CostedFunction, unit: Unit, load: Load): CostOption[] {
  if (fn.onlyScheduled) return [];
  const out: CostOption[] = [];
  if (fn.warming.length > 0) out.push(warmed(unit, load, synthesizedRounds(fn), 'synthesized'));
  // With no traffic there is nothing to size a suggestion to.
  if (Math.max(...load.peak) > 0) out.push(warmed(unit, load, suggestedRounds(load), 'suggested', `warmer (suggested): ${followsPeak(load)}`));
  return out;
}

/** Provisioned concurrency as synthesized, and one scheduled to each hour's peak. */
function provisionedOptions(fn: CostedFunction, unit: Unit, load: Load): CostOption[] {
  if (fn.onlyScheduled) return [];
  const out: CostOption[] = [];
  const synthesized = synthesizedEnvironments(fn, load);
  if (synthesized) out.push(provisioned(unit, load, synthesized, provisionedLabel(fn), 'synthesized'));
  if (Math.max(...load.peak) > 0) out.push(provisioned(unit, load, load.peak, `provisioned (suggested): ${followsPeak(load)}`, 'suggested'));
  return out;
}

/** How an option sized to the traffic follows it: one level all week, or each hour's peak. */
export function followsPeak(load: Load): string {
  const levels = load.peak.filter((p) => p > 0);
  const [low, high] = [Math.min(...levels), Math.max(...levels)];
  return low === high ? `${high} round the clock` : `each hour's peak (${low}-${high})`;
}

/** Resolves the traffic file's per-function keys (logical id, construct path, or stack/path); unknown keys are errors. */
function matchOverrides(functions: readonly CostedFunction[], file: TrafficFile | undefined): Map<CostedFunction, TrafficOverrides> {
  const out = new Map<CostedFunction, TrafficOverrides>();
  if (!file) return out;
  for (const [key, overrides] of file.functions) {
    const matches = functions.filter((f) => key === f.logicalId || key === f.path || key === `${f.stackName}/${f.path}` || key === `${f.stackName}/${f.logicalId}`);
    if (matches.length === 0) {
      throw new TrafficError(`${file.file}: "functions.${key}" names no function of the assembly; functions: ${functions.map((f) => `${f.stackName}/${f.path}`).join(', ')}`);
    }
    for (const fn of matches) out.set(fn, overrides);
  }
  return out;
}
