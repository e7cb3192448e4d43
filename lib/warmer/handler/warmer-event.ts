import type { WarmerEvent, WarmerTarget } from '../../contract';

/** Largest concurrency one target may ask for (Lambda's default account concurrency). */
export const MAX_WARM_CONCURRENCY = 1000;

/** Checks the schedule payload and reports every problem at once. */
export function readWarmerEvent(event: unknown): WarmerEvent {
  const problems: string[] = [];
  const input = event as Partial<WarmerEvent> | null;
  if (typeof input !== 'object' || input === null || !Array.isArray(input.targets)) {
    throw new TypeError(`warmer: event must be { targets: [{ functionArn, concurrency }] }, got ${JSON.stringify(event)}`);
  }
  input.targets.forEach((target: Partial<WarmerTarget> | null, i) => {
    if (typeof target !== 'object' || target === null) {
      problems.push(`targets[${i}] must be an object, got ${JSON.stringify(target)}`);
      return;
    }
    if (typeof target.functionArn !== 'string' || !/^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.test(target.functionArn)) {
      problems.push(`targets[${i}].functionArn must be a Lambda function or alias ARN, got ${JSON.stringify(target.functionArn)}`);
    }
    const n = target.concurrency;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_WARM_CONCURRENCY) {
      problems.push(`targets[${i}].concurrency must be an integer from 1 to ${MAX_WARM_CONCURRENCY}, got ${JSON.stringify(n)}`);
    }
  });
  if (input.holdMs !== undefined && (typeof input.holdMs !== 'number' || !Number.isFinite(input.holdMs) || input.holdMs < 0)) {
    problems.push(`holdMs must be a number >= 0, got ${JSON.stringify(input.holdMs)}`);
  }
  if (problems.length > 0) throw new TypeError(`warmer: invalid event:\n  - ${problems.join('\n  - ')}`);
  return input as WarmerEvent;
}

/** The metric dimension of a target: `function:alias` from its ARN. */
export function targetName(functionArn: string): string {
  const parts = functionArn.split(':');
  const at = parts.indexOf('function');
  return parts.slice(at + 1).join(':');
}
