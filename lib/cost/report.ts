import { ASSUMED_ENVIRONMENT_LIFETIME_HOURS, ASSUMED_IDLE_MINUTES, HOURS_PER_MONTH, MANAGED_INSTANCES_CPU_SHARE, MANAGED_INSTANCES_TARGET_UTILIZATION } from './assumptions';
import type { CostReport, FunctionAdvice } from './advisor';
import { INIT_BILLED_SINCE, INIT_BILLING_URL, MANAGED_INSTANCES_DEFAULT_INSTANCES, MANAGED_INSTANCES_MANAGEMENT_FEE, PRICES_CHECKED_ON } from './prices';

/** The assumptions every estimate rests on, as sentences: printed under the table and carried in the JSON. */
export function assumptions(report: CostReport): string[] {
  return [
    `Prices: ${report.region}, checked ${PRICES_CHECKED_ON} (lib/cost/prices.ts has each figure's source); first duration tier, no free tier, no Savings Plans; a month is ${HOURS_PER_MONTH} h.`,
    `INIT is billed as duration on every cold start (on-demand ZIP functions since ${INIT_BILLED_SINCE}, ${INIT_BILLING_URL}); provisioned environments initialize outside requests, billed at the provisioned duration price.`,
    `Cold starts: idle environments are reclaimed after ~${ASSUMED_IDLE_MINUTES} min and busy ones recycled every ~${ASSUMED_ENVIRONMENT_LIFETIME_HOURS} h (both undocumented, assumed); arrivals are random (Poisson) within each hour of a typical week.`,
    'Warmer: each round holds N calls 1 s + 20 ms × N at the target\'s memory, plus one 256 MB warmer run; its rounds every 5 min keep N environments warm.',
    `Managed Instances: ${MANAGED_INSTANCES_DEFAULT_INSTANCES} instances at least (Lambda's default), more when average concurrency × ${MANAGED_INSTANCES_CPU_SHARE} vCPU at ${MANAGED_INSTANCES_TARGET_UTILIZATION * 100}% utilisation needs them; EC2 on-demand price + ${MANAGED_INSTANCES_MANAGEMENT_FEE * 100}% fee + requests; no cold starts once running; handlers must be safe under concurrent requests.`,
    `Recommendation: the cheapest option whose cold starts stay within ${pct(report.coldStartBudget)} of requests; functions only schedules or asynchronous sources (event rules, queues, notifications) invoke stay on demand, since no caller waits on their cold starts.`,
  ];
}

const pct = (share: number) => `${(share * 100).toFixed(3).replace(/\.?0+$/, '')}%`;
const usd = (n: number) => (n < 0.005 ? '<0.01' : n.toFixed(2));
const colds = (n: number) => (n < 0.05 ? '0' : n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'));

/** The report as text: per function its traffic, a table of options, what was not priced, the recommendation. */
export function formatReport(report: CostReport, assembly: string): string {
  const lines = [`Cost advisor: ${report.functions.length} function(s) in ${assembly}, ${report.region} prices (USD per month)`, ''];
  for (const fn of report.functions) lines.push(...functionBlock(fn), '');
  lines.push('Recommendations:');
  lines.push(...table(['function', 'recommendation', 'reason'], report.functions.map((f) => [f.path, f.recommendation.option, f.recommendation.reason])));
  lines.push('', 'Assumptions:', ...assumptions(report).map((a) => `- ${a}`));
  return lines.join('\n');
}

function functionBlock(fn: FunctionAdvice): string[] {
  const t = fn.traffic;
  const when = t.businessHours && !t.source.startsWith('its schedules') ? `, ${Math.round(t.businessShare * 100)}% in ${t.businessHours.start}-${t.businessHours.end} UTC Mon-Fri` : '';
  const out = [
    `${fn.stackName}/${fn.path} (${fn.logicalId}): ${fn.memoryMb} MB ${fn.architecture} ${fn.runtime}`,
    `  traffic (${t.source}): ${Math.round(t.requestsPerMonth).toLocaleString('en-US')} requests/month${when}, ${t.avgDurationMs} ms each, INIT ${t.initMs} ms, peak concurrency ${t.peakConcurrencyUsed}`,
    ...table(['option', '$/month', 'cold starts/month'], fn.options.map((o) => [o.label, usd(o.monthlyUsd), colds(o.coldStartsPerMonth)])).map((l) => `  ${l}`),
  ];
  for (const s of fn.skipped) out.push(`  not priced: ${s.kind}: ${s.reason}`);
  out.push(`  → ${fn.recommendation.option}: ${fn.recommendation.reason}`);
  return out;
}

/** An aligned Markdown table, so figures paste into READMEs and issue notes as they are. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

/** The report for tools: every figure unrounded, the traffic used, the prices and the assumptions. */
export function reportJson(report: CostReport): string {
  return JSON.stringify({
    region: report.region,
    pricesCheckedOn: PRICES_CHECKED_ON,
    prices: report.prices,
    coldStartBudget: report.coldStartBudget,
    assumptions: assumptions(report),
    functions: report.functions,
  }, null, 2);
}
