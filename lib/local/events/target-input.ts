import type { TargetSpec } from '../model/specs';

/** What a target receives: the fixed Input, the part InputPath selects, the transformed event, or the event. */
export function targetInput(target: TargetSpec, event: Record<string, unknown>): unknown {
  if (target.input !== undefined) return parseMaybe(target.input);
  if (target.inputPath !== undefined) return jsonPath(event, target.inputPath);
  if (target.inputTransformer) {
    const values: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(target.inputTransformer.inputPathsMap)) values[name] = jsonPath(event, path);
    const template = target.inputTransformer.inputTemplate;
    const isJson = /^\s*[{["]/.test(template);
    const text = template.replace(/<([\w.-]+)>/g, (all, name: string) => {
      if (name === 'aws.events.event.json' || name === 'aws.events.event') return JSON.stringify(event);
      if (name === 'aws.events.rule-arn' || name === 'aws.events.rule-name' || name === 'aws.events.ingestion-time') return all;
      if (!(name in values)) return all;
      const value = values[name];
      // In a JSON template a string placeholder sits inside quotes already; other values are inserted as JSON.
      return typeof value === 'string' ? (isJson ? JSON.stringify(value).slice(1, -1) : value) : JSON.stringify(value ?? null);
    });
    return parseMaybe(text);
  }
  return event;
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
