import { matchesPattern, validatePattern } from '../events/event-pattern';

/**
 * Lambda event filtering on an event source mapping: a record goes to the function when any filter's pattern
 * matches it (the EventBridge pattern syntax). For SQS the pattern sees the message with `body` parsed when it
 * is JSON (a plain-text body stays a string, which only string matchers on `body` match); for DynamoDB streams,
 * the record as is.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
export function passesFilters(filters: readonly Record<string, unknown>[], record: Record<string, unknown>, kind: 'sqs' | 'dynamodb-stream'): boolean {
  if (filters.length === 0) return true;
  const subject = kind === 'sqs' ? { ...record, body: parseBody(record.body) } : record;
  return filters.some((pattern) => matchesPattern(pattern, subject));
}

/** Checks the patterns at start, so a filter the runner cannot evaluate stops the start with its mapping named. */
export function validateFilters(filters: readonly Record<string, unknown>[], where: string): void {
  filters.forEach((pattern, i) => validatePattern(pattern, `${where} FilterCriteria.Filters[${i}].Pattern`));
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
