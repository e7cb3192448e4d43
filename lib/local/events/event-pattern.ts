import { LocalRunnerError } from '../errors';

/**
 * Matches an event against an EventBridge event pattern: exact values, `prefix`, `suffix`,
 * `anything-but` (values, or a prefix/suffix), `numeric` ranges, `exists`, `equals-ignore-case`, `wildcard`
 * and `$or`. An array in the event matches when any element does.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  if (event === null || typeof event !== 'object') return false;
  const object = event as Record<string, unknown>;
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(rule as Array<Record<string, unknown>>).some((alternative) => matchesPattern(alternative, event))) return false;
      continue;
    }
    if (Array.isArray(rule)) {
      if (!fieldMatches(object[key], rule)) return false;
    } else if (rule !== null && typeof rule === 'object') {
      if (!matchesPattern(rule as Record<string, unknown>, object[key])) return false;
    } else {
      throw new LocalRunnerError(`Event pattern: the value of ${JSON.stringify(key)} must be an array or an object, got ${JSON.stringify(rule)}`);
    }
  }
  return true;
}

const MATCHERS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'wildcard', 'exists']);

/** Checks a pattern's shape and matchers up front, so a rule the runner cannot evaluate fails at start. */
export function validatePattern(pattern: unknown, path = 'pattern'): void {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw new LocalRunnerError(`Event pattern: ${path} must be an object, got ${JSON.stringify(pattern)}`);
  }
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(rule)) throw new LocalRunnerError(`Event pattern: ${path}.$or must be an array of patterns`);
      rule.forEach((alternative, i) => validatePattern(alternative, `${path}.$or[${i}]`));
    } else if (Array.isArray(rule)) {
      for (const matcher of rule) {
        if (isObject(matcher) && !MATCHERS.has(Object.keys(matcher)[0])) {
          throw new LocalRunnerError(`Event pattern: unsupported matcher ${JSON.stringify(matcher)} at ${path}.${key} (supported: ${[...MATCHERS].join(', ')})`);
        }
      }
    } else if (rule !== null && typeof rule === 'object') {
      validatePattern(rule, `${path}.${key}`);
    } else {
      throw new LocalRunnerError(`Event pattern: the value of ${JSON.stringify(key)} must be an array or an object, got ${JSON.stringify(rule)}`);
    }
  }
}

function fieldMatches(value: unknown, matchers: unknown[]): boolean {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return matcher.exists === (value !== undefined);
    if (value === undefined) return false;
    return values.some((v) => valueMatches(v, matcher));
  });
}

function valueMatches(value: unknown, matcher: unknown): boolean {
  if (!isObject(matcher)) return value === matcher;
  const [kind, arg] = Object.entries(matcher)[0] ?? [];
  switch (kind) {
    case 'prefix':
      return typeof value === 'string' && (isObject(arg) ? value.toLowerCase().startsWith(String(arg['equals-ignore-case']).toLowerCase()) : value.startsWith(String(arg)));
    case 'suffix':
      return typeof value === 'string' && (isObject(arg) ? value.toLowerCase().endsWith(String(arg['equals-ignore-case']).toLowerCase()) : value.endsWith(String(arg)));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(arg).toLowerCase();
    case 'anything-but':
      if (isObject(arg)) {
        if ('prefix' in arg) return typeof value === 'string' && !value.startsWith(String(arg.prefix));
        if ('suffix' in arg) return typeof value === 'string' && !value.endsWith(String(arg.suffix));
        if ('equals-ignore-case' in arg) {
          const list = ([] as unknown[]).concat(arg['equals-ignore-case']).map((x) => String(x).toLowerCase());
          return typeof value === 'string' && !list.includes(value.toLowerCase());
        }
        throw new LocalRunnerError(`Event pattern: unsupported anything-but ${JSON.stringify(arg)}`);
      }
      return !([] as unknown[]).concat(arg).includes(value);
    case 'numeric':
      return typeof value === 'number' && numericMatches(value, arg as unknown[]);
    case 'wildcard':
      return typeof value === 'string' && new RegExp('^' + String(arg).split('*').map(escapeRegExp).join('.*') + '$').test(value);
    default:
      throw new LocalRunnerError(`Event pattern: unsupported matcher ${JSON.stringify(matcher)} (supported: prefix, suffix, anything-but, numeric, exists, equals-ignore-case, wildcard)`);
  }
}

function numericMatches(value: number, conditions: unknown[]): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = Number(conditions[i + 1]);
    const ok = op === '=' ? value === bound : op === '<' ? value < bound : op === '<=' ? value <= bound : op === '>' ? value > bound : op === '>=' ? value >= bound : undefined;
    if (ok === undefined) throw new LocalRunnerError(`Event pattern: unsupported numeric operator ${JSON.stringify(op)}`);
    if (!ok) return false;
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
