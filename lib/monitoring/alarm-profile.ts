/**
 * How many alarms the library creates per resource.
 *
 * A ResilientFunction is 8 CloudFormation resources before its alarms and a stack holds 500, so the
 * number of alarms per function decides how many functions fit one stack.
 */
export enum AlarmProfile {
  /**
   * One alarm per function or API whose metric math watches every failure signal at once (error rate,
   * throttles, p99 duration, spillover, failed deliveries, dead letters). 50 functions fit one stack
   * with room for the app's own resources; the service dashboard shows which signal tripped it.
   */
  ESSENTIAL = 'essential',
  /**
   * One alarm per signal (5 to 7 per function, 2 to 3 per API): each alarm names its cause, at the
   * price of about 35 functions per stack.
   */
  FULL = 'full',
}
