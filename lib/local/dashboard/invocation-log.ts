import type { InvocationRecord } from '../functions/local-functions';
import { shortEnvironmentId } from '../observe/short-id';

/** One invocation in the dashboard's list. */
export interface InvocationSummary {
  /** Position in the run (1, 2, ...): the key the page asks for the details with. */
  readonly id: number;
  /** When it ended, on the runner's clock (epoch ms). */
  readonly at: number;
  readonly function: string;
  readonly qualifier?: string;
  /** What caused it: `GET /hello`, `rule Orders/OrderPlaced`, `lambda:Invoke`, ... */
  readonly trigger: string;
  readonly outcome: 'ok' | 'error' | 'timeout' | 'throttled';
  /** HTTP status when an API answered the request. */
  readonly status?: number;
  readonly errorType?: string;
  readonly durationMs: number;
  readonly cold: boolean;
  readonly initMs?: number;
  /** `Hello#1`: the function's short name and the environment's number. */
  readonly environment?: string;
  readonly attempt?: number;
}

/** One invocation with what the page shows when it is clicked. */
export interface InvocationDetail extends InvocationSummary {
  readonly requestId: string;
  /** The event as JSON text, pretty-printed. */
  readonly event: string;
  /** The payload (or Lambda's error document) as text. */
  readonly response: string;
  /** The function's log lines of this invocation, as CloudWatch shows them. */
  readonly logs: readonly string[];
}

/** Sizes that keep a long run's memory bounded: what a person reads on a page, not an archive. */
export const LOG_LIMITS = { invocations: 200, textChars: 64 * 1024, linesPerInvocation: 500, environmentsBuffered: 1000 } as const;

/**
 * The last invocations of the run with their event, response and log lines. A function's log arrives per
 * environment, which serves one request at a time; so the lines an environment wrote since its previous
 * invocation ended (its INIT included, on a cold start) belong to the invocation it reports next.
 */
export class InvocationLog {
  private readonly entries: InvocationDetail[] = [];
  private readonly pendingLines = new Map<string, string[]>();
  private nextId = 1;

  constructor(private readonly limit: number = LOG_LIMITS.invocations) {}

  /** A log line of an environment, kept until its invocation is reported. */
  line(environmentId: string, text: string): void {
    let lines = this.pendingLines.get(environmentId);
    if (!lines) {
      // Environments that stop without reporting again (evicted after INIT) must not pile up.
      if (this.pendingLines.size >= LOG_LIMITS.environmentsBuffered) this.pendingLines.delete(this.pendingLines.keys().next().value!);
      lines = [];
      this.pendingLines.set(environmentId, lines);
    }
    if (lines.length < LOG_LIMITS.linesPerInvocation) lines.push(clip(text));
    else if (lines.length === LOG_LIMITS.linesPerInvocation) lines.push('… (more lines not kept by the dashboard)');
  }

  /** Records an ended invocation; returns its summary. */
  add(record: InvocationRecord, at: number): InvocationSummary {
    const facts = record.result.facts;
    const error = record.result.error;
    const logs = facts.environmentId ? this.pendingLines.get(facts.environmentId) ?? [] : [];
    if (facts.environmentId) this.pendingLines.delete(facts.environmentId);
    const detail: InvocationDetail = {
      id: this.nextId++,
      at,
      function: record.function.displayName,
      ...(record.qualifier ? { qualifier: record.qualifier } : {}),
      trigger: record.trigger,
      outcome: facts.throttled ? 'throttled' : facts.timedOut ? 'timeout' : error ? 'error' : 'ok',
      ...(record.status !== undefined ? { status: record.status } : {}),
      ...(error ? { errorType: error.errorType } : {}),
      durationMs: facts.durationMs,
      cold: facts.cold,
      ...(facts.initMs !== undefined ? { initMs: facts.initMs } : {}),
      ...(facts.environmentId ? { environment: shortEnvironmentId(record.function.displayName, facts.environmentId) } : {}),
      ...(record.attempt !== undefined ? { attempt: record.attempt } : {}),
      requestId: facts.requestId,
      event: 'event' in record ? clip(asText(record.event)) : '(not recorded)',
      response: clip(error ? asText(error) : asText(record.result.payload)),
      logs,
    };
    this.entries.push(detail);
    if (this.entries.length > this.limit) this.entries.shift();
    return summaryOf(detail);
  }

  /** The invocations kept, oldest first. */
  list(): InvocationSummary[] {
    return this.entries.map(summaryOf);
  }

  detail(id: number): InvocationDetail | undefined {
    return this.entries.find((e) => e.id === id);
  }
}

function summaryOf(detail: InvocationDetail): InvocationSummary {
  const { requestId: _r, event: _e, response: _p, logs: _l, ...summary } = detail;
  return summary;
}

/** A payload as a person reads it: text as it is, anything else as indented JSON. */
function asText(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** Text cut to the dashboard's limit, saying how much was left out. */
export function clip(text: string, max: number = LOG_LIMITS.textChars): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
