import type { AssemblyStack } from '../assembly/cloud-assembly';
import { LocalRunnerError } from '../errors';

/** CloudFormation parameter names: alphanumeric. */
const PARAMETER_NAME = /^[A-Za-z0-9]+$/;

/**
 * Parses `--parameter-overrides` as SAM takes it: space-separated pairs, each `Key=Value` or
 * `ParameterKey=Key,ParameterValue=Value`, a value quoted with '...' or "..." when it holds spaces. Throws an Error
 * whose message says which pair is wrong and what is allowed.
 */
export function parseParameterOverrides(text: string): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of splitPairs(text)) {
    const long = /^ParameterKey=([^,]*),ParameterValue=([\s\S]*)$/.exec(pair);
    const eq = pair.indexOf('=');
    const [key, value] = long ? [long[1], long[2]] : eq > 0 ? [pair.slice(0, eq), pair.slice(eq + 1)] : [undefined, undefined];
    if (key === undefined || value === undefined) {
      throw new Error(`has ${JSON.stringify(pair)}, which is not Key=Value or ParameterKey=Key,ParameterValue=Value`);
    }
    if (!PARAMETER_NAME.test(key)) throw new Error(`has the key ${JSON.stringify(key)} in ${JSON.stringify(pair)}: parameter names are letters and digits only`);
    if (key in overrides) throw new Error(`gives ${key} twice (${JSON.stringify(overrides[key])} and ${JSON.stringify(unquote(value))})`);
    overrides[key] = unquote(value);
  }
  if (Object.keys(overrides).length === 0) throw new Error('has no Key=Value pair');
  return overrides;
}

/** Splits at whitespace outside quotes. */
function splitPairs(text: string): string[] {
  const pairs: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      current += ch;
      quote = ch;
    } else if (/\s/.test(ch)) {
      if (current) pairs.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quote) throw new Error(`has an unclosed ${quote} in ${JSON.stringify(current)}`);
  if (current) pairs.push(current);
  return pairs;
}

function unquote(value: string): string {
  return value.replace(/^(["'])([\s\S]*)\1$/, '$2');
}

interface TemplateParameter {
  readonly Type?: string;
  readonly AllowedValues?: unknown[];
  readonly AllowedPattern?: string;
  readonly MinLength?: number | string;
  readonly MaxLength?: number | string;
  readonly MinValue?: number | string;
  readonly MaxValue?: number | string;
}

/**
 * Checks the overrides against the stacks' Parameters as CloudFormation would at deploy time (a key no stack
 * declares, AllowedValues, AllowedPattern, lengths, Number and bounds) and returns one line per override for the
 * start-up log. Throws a LocalRunnerError listing every problem.
 */
export function checkParameterOverrides(stacks: readonly AssemblyStack[], overrides: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const lines: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    const declaring = stacks.filter((s) => s.template.Parameters?.[key] !== undefined);
    if (declaring.length === 0) {
      const declared = [...new Set(stacks.flatMap((s) => Object.keys(s.template.Parameters ?? {})))];
      problems.push(`${key}: no stack run here declares this parameter (they declare: ${declared.join(', ') || 'none'})`);
      continue;
    }
    for (const stack of declaring) {
      const problem = parameterProblem(stack.template.Parameters![key] as unknown as TemplateParameter, value);
      if (problem) problems.push(`${key}=${JSON.stringify(value)} for stack ${stack.stackName}: ${problem}`);
    }
    lines.push(`${key}=${value} (${declaring.map((s) => s.stackName).join(', ')})`);
  }
  if (problems.length > 0) throw new LocalRunnerError(`--parameter-overrides cannot be applied:\n  - ${problems.join('\n  - ')}`);
  return lines;
}

function parameterProblem(p: TemplateParameter, value: string): string | undefined {
  const type = p.Type ?? 'String';
  const values = type === 'CommaDelimitedList' || type.startsWith('List<') ? value.split(',') : [value];
  if (p.AllowedValues && !values.every((v) => p.AllowedValues!.map(String).includes(v))) return `must be one of ${p.AllowedValues.map((v) => JSON.stringify(String(v))).join(', ')} (AllowedValues)`;
  if (p.AllowedPattern !== undefined && !values.every((v) => new RegExp(`^(?:${p.AllowedPattern})$`).test(v))) return `must match ${p.AllowedPattern} (AllowedPattern)`;
  if (p.MinLength !== undefined && value.length < Number(p.MinLength)) return `must be at least ${p.MinLength} characters (MinLength)`;
  if (p.MaxLength !== undefined && value.length > Number(p.MaxLength)) return `must be at most ${p.MaxLength} characters (MaxLength)`;
  if (type === 'Number' || type === 'List<Number>') {
    if (!values.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))) return `must be a number (Type ${type})`;
    if (p.MinValue !== undefined && values.some((v) => Number(v) < Number(p.MinValue))) return `must be at least ${p.MinValue} (MinValue)`;
    if (p.MaxValue !== undefined && values.some((v) => Number(v) > Number(p.MaxValue))) return `must be at most ${p.MaxValue} (MaxValue)`;
  }
  return undefined;
}

/** The value `Ref` gives for an overridden parameter: lists split at commas, anything else the text itself. */
export function parameterValue(type: string | undefined, value: string): string | string[] {
  return type === 'CommaDelimitedList' || type?.startsWith('List<') ? value.split(',') : value;
}
