import { parseArgs } from 'node:util';
import { LocalRunnerError } from '../errors';

/** The name the tool is installed under (package.json `bin`). */
export const TOOL = 'cdk-resilient-serverless';

/**
 * One option of a command: the single source of its parsing (node:util parseArgs), its line in the usage
 * text and the error messages about it.
 */
export interface OptionSpec {
  /** Long name without the dashes: `port` is `--port`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** One-letter alias: `h` is `-h`. */
  readonly short?: string;
  /** What the value is, in the usage text: `port` shows `--port <port>`. String options only. */
  readonly placeholder?: string;
  /** The value when the option is not given (string options; boolean options are off unless given). */
  readonly default?: string;
  /** The default as the usage text states it, when it is decided at run time rather than a fixed value. */
  readonly defaultText?: string;
  /**
   * The value of a string option given without one (`--inspect` means `--inspect=9229`). Such an option takes a
   * value only as `--name=value`, as node's own `--inspect` does.
   */
  readonly bare?: string;
  /** The command cannot run without it. */
  readonly required?: boolean;
  /** It does something and exits (`--help`, `--version`), so it has no default to state. */
  readonly action?: boolean;
  /** One line, for the usage text. */
  readonly description: string;
  /** A problem with a given value (`must be ...`), or undefined when the value is fine. */
  readonly check?: (value: string) => string | undefined;
}

/** A command of the tool: its options and the text of its usage. Commands take no positional arguments. */
export interface CommandSpec {
  readonly name: string;
  /** One line, for the tool's list of commands. */
  readonly summary: string;
  /** The usage lines. @default - `<tool> <name> [options]` */
  readonly usage?: readonly string[];
  /** Paragraphs after the usage line. */
  readonly description?: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Subcommands, for the tool's usage: name and one line each. */
  readonly commands?: ReadonlyArray<readonly [string, string]>;
  /** Further sections of the usage text, each a title and its lines. */
  readonly sections?: ReadonlyArray<{ readonly title: string; readonly lines: readonly string[] }>;
  readonly examples?: readonly string[];
}

/** `-h, --help`: every command takes it, so it is added here rather than to each spec. */
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', action: true, description: 'Prints this usage and exits.' };

type OptionValue<O> = O extends { readonly type: 'boolean' } ? boolean : O extends { readonly default: string } | { readonly required: true } ? string : string | undefined;

/** The parsed values of a command whose spec is declared `as const`: booleans, strings with defaults, optional strings. */
export type ValuesOf<C extends CommandSpec> = { -readonly [O in C['options'][number] as O['name']]: OptionValue<O> };

/** What a command line asked for: the command's usage, or a run with these values. */
export type Parsed<C extends CommandSpec> = { readonly help: true } | { readonly help: false; readonly values: ValuesOf<C> };

/** A command line the tool cannot make sense of: the CLI prints the message and a pointer to the usage, and exits 2. */
export class UsageError extends LocalRunnerError {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }

  /** Where the usage of the command (or of the tool) is. */
  get hint(): string {
    return `Run '${TOOL}${this.command ? ` ${this.command}` : ''} --help' for usage.`;
  }
}

export function optionsOf(spec: CommandSpec): OptionSpec[] {
  return [...spec.options, HELP_OPTION];
}

function flag(o: OptionSpec): string {
  return `--${o.name}`;
}

function where(spec: CommandSpec): string {
  return spec.name === TOOL ? '' : ` for '${spec.name}'`;
}

/** `Valid options: --app, --port, ..., --help.` */
function validOptions(spec: CommandSpec): string {
  return `Valid options: ${optionsOf(spec).map(flag).join(', ')}.`;
}

/**
 * Parses a command's arguments against its spec. `--help`/`-h` anywhere (before `--`) asks for the usage,
 * whatever else is there. Unknown options, missing values, values for switches, positional arguments,
 * missing required options and values their check refuses are UsageErrors.
 */
export function parseCommand<C extends CommandSpec>(spec: C, args: readonly string[]): Parsed<C> {
  const options = optionsOf(spec);
  const { tokens } = parseArgs({
    args: [...args],
    // An option with a bare value is a switch to parseArgs: `--inspect 9229` must not take 9229 as its value.
    options: Object.fromEntries(options.map((o) => [o.name, { type: o.bare === undefined ? o.type : 'boolean', ...(o.short ? { short: o.short } : {}) }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((t) => t.kind === 'option' && t.name === HELP_OPTION.name)) return { help: true };

  const values: Record<string, string | boolean | undefined> = {};
  for (const o of options) values[o.name] = o.type === 'boolean' ? false : o.default;
  for (const [index, token] of tokens.entries()) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      const before = tokens[index - 1];
      const bare = before?.kind === 'option' && before.value === undefined ? options.find((o) => o.name === before.name && o.bare !== undefined) : undefined;
      if (bare) throw new UsageError(`option '${flag(bare)}'${where(spec)} takes its value after '=': write ${flag(bare)}=${token.value}, not ${flag(bare)} ${token.value}.`, commandOf(spec));
      throw new UsageError(`unexpected argument '${token.value}'${where(spec)}: it takes no positional arguments. ${validOptions(spec)}`, commandOf(spec));
    }
    const option = options.find((o) => o.name === token.name);
    if (!option) {
      const suggestion = suggest(token.rawName, options.map(flag));
      throw new UsageError(`unknown option '${token.rawName}'${where(spec)}.${suggestion ? ` Did you mean ${suggestion}?` : ''} ${validOptions(spec)}`, commandOf(spec));
    }
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option '${flag(option)}'${where(spec)} is a switch and takes no value, got '${token.rawName}=${token.value}'. Write just ${flag(option)}.`, commandOf(spec));
      values[option.name] = true;
      continue;
    }
    if (option.bare !== undefined) {
      if (token.value === '') throw new UsageError(`option '${flag(option)}'${where(spec)} has an empty value: write ${flag(option)} or ${flag(option)}=<${option.placeholder ?? 'value'}>.`, commandOf(spec));
      values[option.name] = token.value ?? option.bare;
      continue;
    }
    const usage = `${flag(option)} <${option.placeholder ?? 'value'}>`;
    if (token.value === undefined || token.value === '') {
      throw new UsageError(`option '${flag(option)}'${where(spec)} needs a value: ${usage}.`, commandOf(spec));
    }
    // As node's strict mode: `--port --quiet` is a forgotten value, not a port named "--quiet".
    if (!token.inlineValue && token.value.length > 1 && token.value.startsWith('-')) {
      throw new UsageError(`option '${flag(option)}'${where(spec)} needs a value: ${usage} ('${token.value}' looks like an option; write ${flag(option)}=${token.value} if it is the value).`, commandOf(spec));
    }
    values[option.name] = token.value;
  }

  const missing = options.filter((o) => o.required && values[o.name] === undefined);
  if (missing.length > 0) throw new UsageError(`${spec.name} needs ${missing.map(flag).join(', ')}`, commandOf(spec));
  for (const o of options) {
    const value = values[o.name];
    const problem = typeof value === 'string' ? o.check?.(value) : undefined;
    if (problem) throw new UsageError(`${flag(o)} ${problem}, got ${JSON.stringify(value)}`, commandOf(spec));
  }
  return { help: false, values: values as ValuesOf<C> };
}

function commandOf(spec: CommandSpec): string | undefined {
  return spec.name === TOOL ? undefined : spec.name;
}

/** The usage text of a command: usage lines, description, every option with its default, further sections. */
export function commandUsage(spec: CommandSpec): string {
  const usage = spec.usage ?? [`${TOOL} ${spec.name} [options]`];
  const lines = usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}${u}`);
  lines.push('');
  for (const paragraph of spec.description ?? [spec.summary]) lines.push(paragraph);
  if (spec.commands?.length) lines.push('', 'Commands:', ...table(spec.commands));
  lines.push('', 'Options:', ...table(optionsOf(spec).map((o) => [optionLabel(o), `${o.description}${defaultNote(o)}`])));
  for (const section of spec.sections ?? []) lines.push('', `${section.title}:`, ...section.lines.map((l) => `  ${l}`));
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

function optionLabel(o: OptionSpec): string {
  const value = o.bare !== undefined ? `[=<${o.placeholder ?? 'value'}>]` : o.type === 'string' ? ` <${o.placeholder ?? 'value'}>` : '';
  return `${o.short ? `-${o.short}, ` : '    '}${flag(o)}${value}`;
}

function defaultNote(o: OptionSpec): string {
  if (o.action) return '';
  if (o.required) return ' [required]';
  if (o.bare !== undefined) return ` [default: ${o.defaultText ?? 'off'}; alone: ${o.bare}]`;
  const text = o.defaultText ?? (o.type === 'boolean' ? 'off' : o.default);
  return text === undefined ? '' : ` [default: ${text}]`;
}

/** Two columns, the first padded to its widest cell. */
function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/**
 * The candidate closest to `given` when it is plausibly a typo of it: edit distance (with transpositions)
 * of at most a third of the length, at least 1; or the only candidate it is a prefix of.
 */
export function suggest(given: string, candidates: readonly string[]): string | undefined {
  const bare = (s: string) => s.replace(/^-+/, '').toLowerCase();
  const g = bare(given);
  if (g.length === 0) return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(g, bare(candidate));
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (best && best.distance <= Math.max(1, Math.floor(g.length / 3))) return best.candidate;
  const prefixed = candidates.filter((c) => bare(c).startsWith(g));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
