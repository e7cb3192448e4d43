import type { TargetSpec } from '../model/specs';

/** The rule that matched, for the reserved placeholders of an input template (`<aws.events.rule-name>`, ...). */
export interface MatchingRule {
  readonly name: string;
  readonly arn: string;
  /** When EventBridge received the event (epoch ms): `<aws.events.event.ingestion-time>`. */
  readonly ingestedAt: number;
}

/** What a target receives: the fixed Input, the part InputPath selects, the transformed event, or the event. */
export function targetInput(target: TargetSpec, event: Record<string, unknown>, rule?: MatchingRule): unknown {
  if (target.input !== undefined) return parseMaybe(target.input);
  if (target.inputPath !== undefined) return jsonPath(event, target.inputPath);
  if (target.inputTransformer) {
    const values = new Map<string, unknown>();
    for (const [name, path] of Object.entries(target.inputTransformer.inputPathsMap)) values.set(name, jsonPath(event, path));
    if (rule) {
      values.set('aws.events.rule-name', rule.name);
      values.set('aws.events.rule-arn', rule.arn);
      values.set('aws.events.event.ingestion-time', new Date(rule.ingestedAt).toISOString());
    }
    const { detail: _detail, ...withoutDetail } = event;
    values.set('aws.events.event', withoutDetail);
    values.set('aws.events.event.json', event);
    return parseMaybe(fillTemplate(target.inputTransformer.inputTemplate, values));
  }
  return event;
}

/**
 * Fills an input template as EventBridge does. In a JSON template, a placeholder outside quotes takes the
 * value as JSON (a string becomes a quoted, escaped JSON string; numbers, booleans, null, objects and arrays
 * as they are); inside quotes a string is inserted as it is, unescaped. A text template (not JSON) gets every
 * value as plain text. A variable whose path the event lacks "does not appear in the output": nothing inside
 * quotes or text, `null` where JSON needs a value. A placeholder that names no variable stays as written.
 */
export function fillTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  const json = /^\s*[{["]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && inString) {
      out += template.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    const placeholder = c === '<' ? /^<([\w.\-/]+)>/.exec(template.slice(i)) : null;
    if (placeholder && values.has(placeholder[1])) {
      const value = values.get(placeholder[1]);
      if (json && !inString) out += JSON.stringify(value ?? null);
      else if (value !== undefined) out += typeof value === 'string' ? value : JSON.stringify(value);
      i += placeholder[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** The subset of JSONPath EventBridge uses: `$`, `$.a.b`, `$.a[0]`. */
export function jsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  let current: unknown = value;
  for (const part of path.replace(/^\$\.?/, '').split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
