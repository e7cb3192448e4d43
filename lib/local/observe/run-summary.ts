import type { PoolStats } from '../execution';

/** What the runner did, for the summary printed on exit. */
export interface RunSummary {
  readonly functions: ReadonlyArray<{ readonly name: string } & PoolStats>;
  /** HTTP status counts per API. */
  readonly apis: ReadonlyArray<{ readonly name: string; readonly statuses: Readonly<Record<string, number>> }>;
  readonly eventsPut: number;
  readonly deliveries: Readonly<Record<string, number>>;
  readonly schedulesFired: number;
  readonly breakerChanges: readonly string[];
  readonly warmerRuns: number;
  readonly queues: Readonly<Record<string, number>>;
}

export function formatSummary(s: RunSummary): string {
  const lines = ['Summary'];
  lines.push('  functions:');
  for (const f of s.functions) {
    lines.push(`    ${f.name}: ${f.invocations} invocations, ${f.coldStarts} cold, ${f.throttles} throttled, ${f.timeouts} timed out, ${f.errors} errors, ${f.environments} environments at exit`);
  }
  for (const a of s.apis) {
    const statuses = Object.entries(a.statuses).map(([k, v]) => `${k}: ${v}`).join(', ');
    lines.push(`  API ${a.name}: ${statuses || 'no requests'}`);
  }
  const deliveries = Object.entries(s.deliveries).map(([k, v]) => `${v} ${k}`).join(', ');
  lines.push(`  events: ${s.eventsPut} put, deliveries: ${deliveries || 'none'}; schedules fired: ${s.schedulesFired}; warmer runs: ${s.warmerRuns}`);
  lines.push(`  breaker changes: ${s.breakerChanges.length > 0 ? s.breakerChanges.join('; ') : 'none'}`);
  const queues = Object.entries(s.queues).map(([k, v]) => `${k}: ${v}`).join(', ');
  lines.push(`  messages left in queues (unconsumed, dead letters, failure destinations): ${queues || 'none'}`);
  return lines.join('\n');
}
