import { readFileSync } from 'node:fs';
import { LocalRunnerError } from '../local/errors';

/** A function's traffic: what the advisor prices each option against. */
export interface TrafficShape {
  readonly requestsPerMonth: number;
  /** Concurrent requests at the busiest moment; undefined = twice the busiest hour's average concurrency, at least 1. */
  readonly peakConcurrency?: number;
  readonly avgDurationMs: number;
  /** Duration of a cold start's INIT phase (module load, SDK clients, ...). */
  readonly initMs: number;
  /** Business hours, UTC, Monday to Friday, as `[start, end)` hours; undefined = traffic spread round the clock. */
  readonly businessHours?: { readonly start: number; readonly end: number };
  /** Share of the requests that arrive within business hours (with `businessHours`). */
  readonly businessShare: number;
}

/** Traffic fields that may be overridden, by a flag, the file's `default` or one function's entry. */
export type TrafficOverrides = { -readonly [K in keyof TrafficShape]?: TrafficShape[K] };

export const DEFAULT_TRAFFIC: TrafficShape = {
  requestsPerMonth: 1_000_000,
  avgDurationMs: 100,
  initMs: 250,
  businessShare: 0.8,
};

/** A traffic problem at start: the CLI prints it and exits 1. */
export class TrafficError extends LocalRunnerError {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficError';
  }
}

/** The rule each traffic field follows: one checker per field, shared by the flags and the file. */
const FIELDS = {
  requestsPerMonth: { flag: 'requests-per-month', rule: 'a number >= 0', parse: (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined) },
  peakConcurrency: { flag: 'peak-concurrency', rule: 'an integer from 1 to 100000', parse: (v: unknown) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100_000 ? (v as number) : undefined) },
  avgDurationMs: { flag: 'avg-duration-ms', rule: 'a number of milliseconds from 1 to 900000 (15 minutes)', parse: (v: unknown) => (typeof v === 'number' && v >= 1 && v <= 900_000 ? v : undefined) },
  initMs: { flag: 'init-ms', rule: 'a number of milliseconds from 0 to 600000 (INIT is capped at 10 s on demand, 10 minutes elsewhere)', parse: (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 600_000 ? v : undefined) },
  businessHours: { flag: 'business-hours', rule: "hours 'START-END', UTC, Monday to Friday, 0 <= START < END <= 24 (e.g. '8-18')", parse: parseBusinessHours },
  businessShare: { flag: 'business-share', rule: 'a fraction from 0 to 1 (0.8 = 80% of the requests in business hours)', parse: (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : undefined) },
} as const satisfies Record<keyof TrafficShape, { flag: string; rule: string; parse: (v: unknown) => unknown }>;

export type TrafficField = keyof typeof FIELDS;
export const TRAFFIC_FIELDS = Object.keys(FIELDS) as TrafficField[];

function parseBusinessHours(v: unknown): { start: number; end: number } | undefined {
  const m = typeof v === 'string' ? /^(\d{1,2})-(\d{1,2})$/.exec(v.trim()) : null;
  if (!m) return undefined;
  const [start, end] = [Number(m[1]), Number(m[2])];
  return start < end && end <= 24 ? { start, end } : undefined;
}

/** The problem with a flag's value (`must be ...`), for the CLI's option checks; undefined when fine. */
export function checkTrafficFlag(field: TrafficField, text: string): string | undefined {
  const value = field === 'businessHours' ? text : numberOf(text);
  return FIELDS[field].parse(value) === undefined ? `must be ${FIELDS[field].rule}` : undefined;
}

/** Traffic fields from the command line's flags (already checked), by field. */
export function trafficFromFlags(flags: Partial<Record<TrafficField, string | undefined>>): TrafficOverrides {
  const out: Record<string, unknown> = {};
  for (const field of TRAFFIC_FIELDS) {
    const text = flags[field];
    if (text === undefined) continue;
    out[field] = FIELDS[field].parse(field === 'businessHours' ? text : numberOf(text));
  }
  return out as TrafficOverrides;
}

function numberOf(text: string): number {
  // `1e6` and `1_000_000` read as people write them; anything else is NaN and fails the field's rule.
  const clean = text.trim().replace(/_/g, '');
  return clean === '' ? NaN : Number(clean);
}

/** A traffic file: a `default` shape and per-function overrides keyed by logical id or construct path. */
export interface TrafficFile {
  readonly file: string;
  readonly default: TrafficOverrides;
  readonly functions: ReadonlyMap<string, TrafficOverrides>;
}

/**
 * Reads and validates a traffic file: `{ "default": {...}, "functions": { "<logical id or path>": {...} } }`.
 * Every problem names the file, the field's path, the value and what is allowed.
 */
export function readTrafficFile(file: string): TrafficFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TrafficError(`Cannot read the traffic file ${file} (--traffic): ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TrafficError(`The traffic file ${file} (--traffic) is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw new TrafficError(`The traffic file ${file} must hold a JSON object with "default" and/or "functions", got ${JSON.stringify(json)}`);
  unknownKeys(file, '', json, ['default', 'functions']);
  const functions = new Map<string, TrafficOverrides>();
  if (json.functions !== undefined) {
    if (!isObject(json.functions)) throw new TrafficError(`${file}: "functions" must be an object of function (logical id or construct path) → traffic, got ${JSON.stringify(json.functions)}`);
    for (const [key, value] of Object.entries(json.functions)) functions.set(key, overridesAt(file, `functions.${key}`, value));
  }
  return { file, default: json.default === undefined ? {} : overridesAt(file, 'default', json.default), functions };
}

function overridesAt(file: string, where: string, value: unknown): TrafficOverrides {
  if (!isObject(value)) throw new TrafficError(`${file}: "${where}" must be an object of traffic fields (${TRAFFIC_FIELDS.join(', ')}), got ${JSON.stringify(value)}`);
  unknownKeys(file, `${where}.`, value, TRAFFIC_FIELDS);
  const out: Record<string, unknown> = {};
  for (const field of TRAFFIC_FIELDS) {
    if (value[field] === undefined) continue;
    const parsed = FIELDS[field].parse(value[field]);
    if (parsed === undefined) throw new TrafficError(`${file}: "${where}.${field}" must be ${FIELDS[field].rule}, got ${JSON.stringify(value[field])}`);
    out[field] = parsed;
  }
  return out as TrafficOverrides;
}

function unknownKeys(file: string, prefix: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new TrafficError(`${file}: unknown field "${prefix}${unknown[0]}"; allowed: ${allowed.join(', ')}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One function's traffic: built-in defaults < the file's `default` < flags < the file's entry for the function. */
export function trafficFor(layers: readonly TrafficOverrides[]): TrafficShape {
  return Object.assign({}, DEFAULT_TRAFFIC, ...layers) as TrafficShape;
}
