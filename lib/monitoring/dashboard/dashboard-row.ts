import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** The kinds of rows, in the order the dashboard shows them: entry points first, then what they call. */
export enum RowKind {
  API = 0,
  FUNCTION = 1,
  EVENTS = 2,
  CIRCUITS = 3,
  WARMING = 4,
}

/**
 * One row of the service dashboard: a titled band of widgets about one construct.
 *
 * `widgets()` runs when the template is synthesized, not when the row is registered, so the row shows what
 * was added to the construct later (rules, alarms, circuits).
 */
export interface DashboardRow {
  readonly kind: RowKind;
  /** Markdown title of the row (the construct's kind and path). */
  title(): string;
  widgets(): cloudwatch.IWidget[];
}
