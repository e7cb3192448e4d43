import type { CostOption } from './options';

/** The advisor's pick for one function and why. */
export interface Recommendation {
  readonly option: string;
  readonly kind: CostOption['kind'];
  readonly reason: string;
}

const usd = (n: number) => (n < 0.005 ? '<$0.01' : `$${n.toFixed(2)}`);
const count = (n: number) => (n < 10 ? n.toFixed(1).replace(/\.0$/, '') : Math.round(n).toLocaleString('en-US'));

/**
 * Picks an option for a function:
 * - invoked only by schedules: on-demand, since no caller waits on a cold start;
 * - else the cheapest option whose cold starts stay within the budget (a share of requests), naming the
 *   runner-up keep-warm option's price and what on-demand would see;
 * - when none keeps within the budget, the option with the fewest cold starts, then the cheapest.
 */
export function recommend(options: readonly CostOption[], requestsPerMonth: number, coldStartBudget: number, invokers: { onlyScheduled: boolean; onlyAsynchronous: boolean }): Recommendation {
  const onDemand = options.find((o) => o.kind === 'on-demand')!;
  const onDemandColds = `on-demand would see ~${count(onDemand.coldStartsPerMonth)} cold starts/month`;
  if (invokers.onlyScheduled) {
    return { option: onDemand.label, kind: 'on-demand', reason: `invoked only by schedules (~${count(requestsPerMonth)} runs/month): no caller waits on a cold start; ${usd(onDemand.monthlyUsd)}/month` };
  }
  if (invokers.onlyAsynchronous) {
    return { option: onDemand.label, kind: 'on-demand', reason: `invoked only asynchronously (event rules, queues, notifications): no caller waits on its ~${count(onDemand.coldStartsPerMonth)} cold starts/month; ${usd(onDemand.monthlyUsd)}/month` };
  }
  const budget = coldStartBudget * requestsPerMonth;
  const byCost = [...options].sort((a, b) => a.monthlyUsd - b.monthlyUsd);
  const within = byCost.filter((o) => o.coldStartsPerMonth <= budget);
  const budgetText = `${(coldStartBudget * 100).toFixed(2).replace(/\.?0+$/, '')}% of requests`;
  if (within.length === 0) {
    const best = [...options].sort((a, b) => a.coldStartsPerMonth - b.coldStartsPerMonth || a.monthlyUsd - b.monthlyUsd)[0];
    return { option: best.label, kind: best.kind, reason: `no option keeps cold starts within ${budgetText}; this one has the fewest (~${count(best.coldStartsPerMonth)}/month) for ${usd(best.monthlyUsd)}; ${onDemandColds}` };
  }
  const pick = within[0];
  if (pick.kind === 'on-demand') {
    const keepWarm = byCost.find((o) => o.kind !== 'on-demand');
    const other = keepWarm ? `; the cheapest keep-warm option (${keepWarm.label}) costs ${usd(keepWarm.monthlyUsd)}` : '';
    return { option: pick.label, kind: pick.kind, reason: `~${count(pick.coldStartsPerMonth)} cold starts/month (within ${budgetText}) for ${usd(pick.monthlyUsd)}${other}` };
  }
  // The rival: the cheapest option of another keep-warm kind that also keeps within the budget, else the cheapest of another kind.
  const otherKind = (o: CostOption) => o.kind !== 'on-demand' && o.kind !== pick.kind;
  const rival = within.find(otherKind) ?? byCost.find(otherKind);
  const rivalColds = rival && rival.coldStartsPerMonth > budget ? ` with ~${count(rival.coldStartsPerMonth)} cold starts` : '';
  const versus = rival ? ` vs ${rival.kind}${rival.origin === 'suggested' ? ' (suggested)' : ' as synthesized'} ${usd(rival.monthlyUsd)}${rivalColds}` : '';
  // A suggestion that replaces what the app synthesized says what the synthesized one leaves.
  const own = pick.origin === 'suggested' ? options.find((o) => o.kind === pick.kind && o.origin === 'synthesized') : undefined;
  const leaves = own ? `; the synthesized ${own.kind} leaves ~${count(own.coldStartsPerMonth)}` : '';
  const keeps = pick.kind === 'managed-instances' ? 'runs on instances all month' : `keeps up to ${pick.keepsWarm} warm`;
  return {
    option: pick.label, kind: pick.kind,
    reason: `${keeps} for ${usd(pick.monthlyUsd)}${versus}, ~${count(pick.coldStartsPerMonth)} cold starts/month${leaves}; ${onDemandColds} (${usd(onDemand.monthlyUsd)}), over ${budgetText}`,
  };
}
