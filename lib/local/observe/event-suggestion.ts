import { matchesPattern } from '../events/event-pattern';
import type { RuleSpec } from '../model/specs';

/** An event a rule's pattern matches, as `POST /events` takes it, and how much of it the pattern decided. */
export interface SuggestedEvent {
  readonly body: { source: string; 'detail-type': string; bus?: string; resources?: unknown[]; detail: Record<string, unknown> };
  /** The pattern constrains `detail`: the body holds the fields it requires. Otherwise detail is `{}`. */
  readonly detailFromPattern: boolean;
}

/**
 * An event the rule matches, built from its pattern: each field the pattern names gets a value the pattern
 * accepts (its first literal, a string with the required prefix, a number in the range, ...). What the
 * target reads beyond the pattern cannot be known from the template. Undefined when no PutEvents entry can
 * match (the pattern constrains what EventBridge sets, or asks for something this does not construct).
 */
export function suggestEvent(rule: RuleSpec, sample: { account: string; region: string }): SuggestedEvent | undefined {
  const pattern = rule.pattern;
  if (!pattern) return undefined;
  const field = (key: string, fallback: string) => (key in pattern ? valueFor(pattern[key]) : fallback);
  const source = field('source', 'example.source');
  const detailType = field('detail-type', 'Example');
  const detail = isObject(pattern.detail) ? objectFor(pattern.detail) : {};
  if (typeof source !== 'string' || typeof detailType !== 'string') return undefined;
  const resources = 'resources' in pattern ? valueFor(pattern.resources) : undefined;
  const body = {
    source,
    'detail-type': detailType,
    ...(rule.busName !== 'default' ? { bus: rule.busName } : {}),
    ...(Array.isArray(resources) ? { resources } : typeof resources === 'string' ? { resources: [resources] } : {}),
    detail,
  };
  // The event as the bus delivers it (EventBridge sets id, account, time, region): the proof that the rule
  // matches what is suggested, whatever the pattern holds that this does not construct.
  const { bus: _bus, ...fields } = body;
  const delivered = { version: '0', id: 'x', account: sample.account, time: new Date(0).toISOString(), region: sample.region, resources: [], ...fields };
  if (!matchesPattern(pattern, delivered)) return undefined;
  return { body, detailFromPattern: isObject(pattern.detail) };
}

/**
 * The lines the start-up report prints for a rule: the suggested event as a curl command to the events
 * endpoint, then what it cannot know about what the targets (`targets`, by name) read.
 */
export function eventToTry(rule: RuleSpec, eventsUrl: string, targets: readonly string[], sample: { account: string; region: string }): string[] {
  const named = targets.join(', ') || 'no target';
  const suggested = suggestEvent(rule, sample);
  if (!suggested) return [`# rule ${rule.displayName} (-> ${named}): no event could be built from its pattern; see the pattern above`];
  const [reader, reads, expects] = targets.length === 1 ? [targets[0], 'reads', 'expects'] : ['its targets', 'read', 'expect'];
  return [
    `curl -X POST ${eventsUrl}/events -d ${shellQuoted(JSON.stringify(suggested.body))}`,
    suggested.detailFromPattern
      ? `    (rule ${rule.displayName} -> ${named}: "detail" holds what the rule's pattern requires; what ${reader} ${reads} beyond it is not known here)`
      : `    (rule ${rule.displayName} -> ${named}: the rule's pattern says nothing about "detail", so what ${reader} ${expects} in it is not known here; fill it in)`,
  ];
}

const NO_VALUE = Symbol('no value');

/** A JSON object the pattern object matches; NO_VALUE fields (`exists: false`) are left out. */
function objectFor(pattern: Record<string, unknown>): Record<string, unknown> {
  const alternatives = pattern.$or;
  const own = Object.entries(pattern).filter(([k]) => k !== '$or');
  const out: Record<string, unknown> = {};
  for (const [key, rule] of own) {
    const value = valueFor(rule);
    if (value !== NO_VALUE) out[key] = value;
  }
  // Any one branch of `$or` will do: the first.
  if (Array.isArray(alternatives) && isObject(alternatives[0])) Object.assign(out, objectFor(alternatives[0]));
  return out;
}

/** A value a pattern field matches: a nested pattern gives an object, an array of alternatives its first usable one. */
function valueFor(rule: unknown): unknown {
  if (isObject(rule)) return objectFor(rule);
  if (!Array.isArray(rule)) return NO_VALUE;
  for (const alternative of rule) {
    const value = isObject(alternative) ? matcherValue(alternative) : alternative;
    if (value !== undefined) return value;
  }
  return NO_VALUE;
}

/** A value one content filter (`{ prefix: 'o-' }`, `{ numeric: ['>', 0] }`, ...) accepts; undefined when none is built. */
function matcherValue(filter: Record<string, unknown>): unknown {
  const [name, arg] = Object.entries(filter)[0] ?? [];
  const text = (v: unknown) => (isObject(v) ? String(v['equals-ignore-case']) : String(v));
  switch (name) {
    case 'prefix': return `${text(arg)}1`;
    case 'suffix': return `example${text(arg)}`;
    case 'equals-ignore-case': return String(arg);
    case 'wildcard': return String(arg).replace(/\*/g, 'x');
    case 'exists': return arg === false ? NO_VALUE : 'example';
    case 'numeric': return numberIn(Array.isArray(arg) ? arg : []);
    case 'anything-but': return anythingBut(arg);
    default: return undefined;
  }
}

/** A number satisfying every comparison of a `numeric` filter (`['>', 0, '<=', 5]`). */
function numberIn(comparisons: unknown[]): number | undefined {
  let low = -Infinity;
  let lowOpen = false;
  let high = Infinity;
  let highOpen = false;
  for (let i = 0; i + 1 < comparisons.length; i += 2) {
    const [op, n] = [comparisons[i], Number(comparisons[i + 1])];
    if (op === '=') return n;
    if (op === '>' || op === '>=') [low, lowOpen] = [n, op === '>'];
    if (op === '<' || op === '<=') [high, highOpen] = [n, op === '<'];
  }
  if (low === -Infinity) return high === Infinity ? 1 : highOpen ? high - 1 : high;
  if (!lowOpen) return low;
  return high === Infinity || high - low > 1 ? low + 1 : (low + high) / 2;
}

function anythingBut(arg: unknown): unknown {
  const excluded = Array.isArray(arg) ? arg : [arg];
  if (excluded.every((v) => typeof v === 'number')) return Math.max(0, ...(excluded as number[])) + 1;
  if (isObject(arg)) return 'example';
  let candidate = 'example';
  while (excluded.includes(candidate)) candidate += '1';
  return candidate;
}

/** `text` as one single-quoted shell word, ready to paste (a `'` inside becomes `'\\''`). */
export function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
