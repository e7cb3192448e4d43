import type { ValuesOf } from '../local/cli/command-line';
import type { COST } from '../local/cli/commands';
import { adviseCosts } from './advisor';
import { formatReport, reportJson } from './report';
import { readTrafficFile, trafficFromFlags } from './traffic';

/** `cost`: reads the assembly, prices every function, prints the table (or JSON). Exit 0; input problems throw. */
export function runCost(values: ValuesOf<typeof COST>, out: (s: string) => void): number {
  const report = adviseCosts({
    assembly: values.app,
    ...(values.stack ? { stack: values.stack } : {}),
    region: values.region,
    flags: trafficFromFlags({
      requestsPerMonth: values['requests-per-month'],
      peakConcurrency: values['peak-concurrency'],
      avgDurationMs: values['avg-duration-ms'],
      initMs: values['init-ms'],
      businessHours: values['business-hours'],
      businessShare: values['business-share'],
    }),
    ...(values.traffic ? { trafficFile: readTrafficFile(values.traffic) } : {}),
    coldStartBudget: Number(values['cold-start-budget']) / 100,
  });
  out(values.json ? reportJson(report) : formatReport(report, values.app));
  return 0;
}
