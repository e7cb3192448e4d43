import { LocalRunnerError } from '../errors';
import { validatePattern } from '../events/event-pattern';
import { parseSchedule } from '../events/schedule-expression';
import { eventSourceProblems } from '../event-sources/event-sources';
import type { AppModel } from './specs';

/** Refuses, in one error listing every problem, an app whose schedules, patterns, event sources or resources the runner cannot run. */
export function validateModel(model: AppModel, allowUnsupported: boolean): void {
  const problems: string[] = [];
  for (const s of [...model.rules.filter((r) => r.scheduleExpression).map((r) => ({ e: r.scheduleExpression!, tz: undefined, name: r.displayName })), ...model.schedules.map((s) => ({ e: s.expression, tz: s.timezone, name: s.displayName }))]) {
    try {
      parseSchedule(s.e, s.tz);
    } catch (err) {
      problems.push(`${s.name}: ${(err as Error).message}`);
    }
  }
  for (const rule of model.rules.filter((r) => r.pattern)) {
    try {
      validatePattern(rule.pattern);
    } catch (err) {
      problems.push(`rule ${rule.displayName}: ${(err as Error).message}`);
    }
  }
  problems.push(...eventSourceProblems(model));
  const blocking = allowUnsupported ? [] : model.unsupported.filter((u) => !u.skippedFunction);
  for (const u of blocking) problems.push(`${u.stackName}/${u.logicalId} (${u.type}): ${u.reason}`);
  if (problems.length > 0) {
    const hint = blocking.length > 0 ? '\nRun with --allow-unsupported to start without them.' : '';
    throw new LocalRunnerError(`The app cannot run locally as it is:\n  - ${problems.join('\n  - ')}${hint}`);
  }
}
