/*
 * `npm run bench:cost`: monthly cost of keeping N environments warm — provisioned concurrency vs this
 * library's warmer vs plain on-demand — for one memory size and traffic shape. Change the constants
 * and run it again for your own numbers.
 */
import { printTable } from '../support/table';

// Price inputs: AWS Lambda list prices, US East (N. Virginia), arm64, first duration tier (USD).
const ON_DEMAND_PER_GB_SECOND = 0.0000133334;
const PROVISIONED_PER_GB_SECOND = 0.0000033334; // charged for every second PC is configured
const PROVISIONED_DURATION_PER_GB_SECOND = 0.0000077778; // duration of invocations served by PC
const PER_REQUEST = 0.0000002;

// Workload inputs.
const MEMORY_GB = 0.5; // the ResilientFunction default, 512 MB
const HOURS_PER_MONTH = 730;
const REQUESTS_PER_MONTH = 1_000_000;
const AVERAGE_DURATION_S = 0.1;

// Warmer inputs: a run every 5 minutes, round the clock; each warm-up call is held for the batch's
// hold time (1 s + 20 ms per call, the warmer's default), and the warmer itself runs at 256 MB.
const WARMER_RUNS_PER_MONTH = HOURS_PER_MONTH * 12;
const WARMER_MEMORY_GB = 0.25;
const holdSeconds = (n: number) => 1 + 0.02 * n;

const traffic = (durationPrice: number) => REQUESTS_PER_MONTH * (PER_REQUEST + AVERAGE_DURATION_S * MEMORY_GB * durationPrice);

/** Keeping N environments initialized all month with provisioned concurrency, plus the traffic at PC duration prices. */
const provisioned = (n: number) => n * MEMORY_GB * HOURS_PER_MONTH * 3600 * PROVISIONED_PER_GB_SECOND + traffic(PROVISIONED_DURATION_PER_GB_SECOND);

/** N held warm-up calls per run plus the warmer's own run, plus the traffic at on-demand prices. */
const warmed = (n: number) => WARMER_RUNS_PER_MONTH * (
  n * (PER_REQUEST + holdSeconds(n) * MEMORY_GB * ON_DEMAND_PER_GB_SECOND)
  + PER_REQUEST + (holdSeconds(n) + 0.5) * WARMER_MEMORY_GB * ON_DEMAND_PER_GB_SECOND
) + traffic(ON_DEMAND_PER_GB_SECOND);

const onDemand = () => traffic(ON_DEMAND_PER_GB_SECOND);

console.log(`Monthly cost (USD), ${MEMORY_GB * 1024} MB arm64, ${REQUESTS_PER_MONTH.toLocaleString('en-US')} requests of ${AVERAGE_DURATION_S * 1000} ms, warmer every 5 minutes\n`);
printTable(['N warm', 'provisioned concurrency', 'warmer', 'on-demand (cold starts)'],
  [1, 2, 5, 10, 20, 50].map((n) => [n, provisioned(n).toFixed(2), warmed(n).toFixed(2), onDemand().toFixed(2)]));
