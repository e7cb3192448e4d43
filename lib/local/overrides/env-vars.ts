import { readFileSync } from 'node:fs';
import { LocalRunnerError } from '../errors';
import type { FunctionSpec } from '../model/specs';

/**
 * Environment overrides in SAM's `--env-vars` shape: `Parameters` holds variables for every function; any other
 * key names one function and holds its variables. Values are strings, numbers or booleans.
 */
export type EnvVarsDocument = Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;

/** The key whose variables apply to every function. */
export const ALL_FUNCTIONS_KEY = 'Parameters';

/** Reads and checks an `--env-vars` file; every problem names the file and where in it. */
export function readEnvVarsFile(path: string): EnvVarsDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LocalRunnerError(`--env-vars ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new LocalRunnerError(`--env-vars ${path}: not valid JSON (${(err as Error).message})`);
  }
  return checkEnvVars(parsed, `--env-vars ${path}`);
}

/** Checks a document's shape: `{ "<function or Parameters>": { "<VARIABLE>": "value" } }`. */
export function checkEnvVars(document: unknown, source: string): EnvVarsDocument {
  const shape = `{ "Parameters": { "VAR": "value" }, "<function logical id or name>": { "VAR": "value" } }`;
  if (!isObject(document)) throw new LocalRunnerError(`${source}: must be a JSON object like ${shape}, got ${describe(document)}`);
  const problems: string[] = [];
  for (const [key, variables] of Object.entries(document)) {
    if (!isObject(variables)) {
      problems.push(`"${key}" must be an object of variables, got ${describe(variables)}`);
      continue;
    }
    for (const [name, value] of Object.entries(variables)) {
      if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(name)) problems.push(`"${key}"."${name}": Lambda variable names start with a letter and hold letters, digits and _`);
      else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') problems.push(`"${key}"."${name}" must be a string, number or boolean, got ${describe(value)}`);
    }
  }
  if (problems.length > 0) throw new LocalRunnerError(`${source}:\n  - ${problems.join('\n  - ')}\nExpected ${shape}.`);
  return document as EnvVarsDocument;
}

/** What the overrides do to the app's functions. */
export interface EnvironmentOverrides {
  /** The variables each function gets on top of its own, by physical function name. */
  readonly byFunction: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Start-up lines: what each function gets, which variables the template does not declare, unknown keys. */
  readonly lines: readonly string[];
}

/**
 * Applies a document to the functions as SAM does: `Parameters` first, then the function's own object, which
 * wins; a function's object is found by (highest precedence first) its logical id, its construct id (the
 * construct path without the stack, as the runner displays it), its physical name, or its full path
 * (`<stack>/<logical id>` or `<stack>/<construct id>`). Unlike SAM, a variable the template does not declare is
 * added rather than ignored (the line says so), so handlers can be pointed at endpoints the template never
 * names. A key that names no function is reported, not an error: one file often serves several stacks.
 */
export function resolveEnvironmentOverrides(document: EnvVarsDocument, functions: readonly FunctionSpec[]): EnvironmentOverrides {
  const byFunction = new Map<string, Record<string, string>>();
  const lines: string[] = [];
  const used = new Set<string>();
  const global = document[ALL_FUNCTIONS_KEY];
  if (global) used.add(ALL_FUNCTIONS_KEY);
  for (const fn of functions) {
    // Lowest precedence first: later assignments win.
    const keys = [`${fn.stackName}/${fn.displayName}`, `${fn.stackName}/${fn.logicalId}`, fn.functionName, fn.displayName, fn.logicalId];
    const variables: Record<string, string> = {};
    const assign = (from: Readonly<Record<string, string | number | boolean>>) => {
      for (const [name, value] of Object.entries(from)) variables[name] = String(value);
    };
    if (global) assign(global);
    for (const key of keys) {
      if (key !== ALL_FUNCTIONS_KEY && document[key]) {
        used.add(key);
        assign(document[key]);
      }
    }
    if (Object.keys(variables).length === 0) continue;
    byFunction.set(fn.functionName, variables);
    const shown = Object.entries(variables).map(([name, value]) => `${name}=${masked(name, value)}${name in fn.environment ? '' : ' (not in the template: added)'}`);
    lines.push(`${fn.displayName}: ${shown.join(', ')}`);
  }
  for (const key of Object.keys(document).filter((k) => !used.has(k))) {
    lines.push(`warning: "${key}" names no function run here, its variables are not used (functions: ${functions.map((f) => f.logicalId).join(', ') || 'none'})`);
  }
  return { byFunction, lines };
}

/** Values of variables that look like secrets are not printed. */
function masked(name: string, value: string): string {
  return /SECRET|PASSWORD|TOKEN|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_KEY/i.test(name) ? '****' : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
