/*
 * `npm run bench:cost`: monthly cost of keeping N environments warm — provisioned concurrency vs this
 * library's warmer vs plain on-demand — for one memory size and traffic shape, with INIT billed as Lambda
 * bills it since 2025-08-01. Prices, assumptions and formulas are the cost advisor's (lib/cost), so this table
 * and `cdk-resilient-serverless cost` cannot disagree. Change the workload inputs and run it again.
 */
import { HOURS_PER_WEEK, WEEKS_PER_MONTH } from '../../lib/cost/assumptions';
import { loadOf, Unit } from '../../lib/cost/formulas';
import { onDemand, provisioned, warmed } from '../../lib/cost/options';
import { INIT_BILLED_SINCE, PRICES_CHECKED_ON, REGION_PRICES } from '../../lib/cost/prices';
import { weekOf } from '../../lib/cost/week';
import { printTable } from '../support/table';

// Workload inputs.
const REGION = 'us-east-1';
const MEMORY_MB = 512; // the ResilientFunction default
const REQUESTS_PER_MONTH = 1_000_000;
const AVERAGE_DURATION_MS = 100;
const INIT_MS = 250;

const unit: Unit = {
  memoryGb: MEMORY_MB / 1024,
  durationSeconds: AVERAGE_DURATION_MS / 1000,
  initSeconds: INIT_MS / 1000,
  prices: REGION_PRICES[REGION].arm64,
};
const requests = weekOf(() => REQUESTS_PER_MONTH / WEEKS_PER_MONTH / HOURS_PER_WEEK);
const usd = (n: number) => n.toFixed(2);

console.log(`Monthly cost (USD), ${MEMORY_MB} MB arm64 in ${REGION} (prices checked ${PRICES_CHECKED_ON}), ${REQUESTS_PER_MONTH.toLocaleString('en-US')} requests of ${AVERAGE_DURATION_MS} ms with bursts to N concurrent,`);
console.log(`INIT ${INIT_MS} ms billed as duration (since ${INIT_BILLED_SINCE}); warmer every 5 minutes round the clock\n`);
printTable(
  ['N warm', 'provisioned concurrency', 'warmer', 'warmer INIT part', 'on-demand', 'on-demand INIT part', 'on-demand cold starts'],
  [1, 2, 5, 10, 20, 50].map((n) => {
    const load = loadOf(requests, unit.durationSeconds, n);
    const pc = provisioned(unit, load, weekOf(() => n), `fixed ${n}`, 'suggested');
    const warmer = warmed(unit, load, [{ name: 'every 5 min', concurrency: n, fires: weekOf(() => 12) }], 'suggested');
    const cold = onDemand(unit, load);
    return [
      n, usd(pc.monthlyUsd), usd(warmer.monthlyUsd), (warmer.breakdown.init + warmer.breakdown.warmerInit).toFixed(3),
      usd(cold.monthlyUsd), cold.breakdown.init.toFixed(3), Math.round(cold.coldStartsPerMonth).toLocaleString('en-US'),
    ];
  }),
);
