import type { Clock } from '../clock/clock';
import type { LocalFunctions, ResolvedFunction } from '../functions/local-functions';
import type { AppModel, EventSourceMappingSpec } from '../model/specs';

/** What an event source mapping needs from the runner. */
export interface SourceContext {
  readonly model: AppModel;
  readonly clock: Clock;
  readonly functions: LocalFunctions;
  /** Counts work in flight, so `runner.settled()` waits for it. */
  track(work: Promise<unknown>): void;
  /** One live-log line (the time is added). */
  log(text: string): void;
  /** Delivers a failure record to a queue or topic ARN; false when the app has no such target. */
  deliver(arn: string, body: string): boolean;
}

/** A mapping's function, or undefined after saying once why it cannot run. */
export function mappingFunction(spec: EventSourceMappingSpec, ctx: SourceContext, said: { said: boolean }): ResolvedFunction | undefined {
  const fn = ctx.functions.resolve(spec.functionName);
  if (!fn && !said.said) {
    said.said = true;
    ctx.log(`event source ${spec.displayName}: function ${spec.functionName} is not run here; its records stay where they are`);
  }
  return fn;
}

/**
 * Reads a partial batch response (`{ batchItemFailures: [{ itemIdentifier }] }`): the identifiers that failed,
 * [] for a complete success, or undefined when the response makes the whole batch a failure (an identifier that
 * is empty, missing or not in the batch).
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 */
export function batchItemFailures(payload: unknown, identifiers: readonly string[]): string[] | undefined {
  if (payload === null || payload === undefined || typeof payload !== 'object') return [];
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return [];
  if (!Array.isArray(failures)) return undefined;
  const ids: string[] = [];
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !identifiers.includes(id)) return undefined;
    ids.push(id);
  }
  return ids;
}

/** `HH:MM:SS.mmm` of the runner's clock, as the live log prints it. */
export function clockTime(clock: Clock): string {
  return new Date(clock.now()).toISOString().slice(11, 23);
}
