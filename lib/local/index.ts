/** Lambda-like local execution of bundled handlers (the base of the local runner). */
export * from './execution';

/** The local runner: a synthesized CDK app (cdk.out) served on this machine. */
export { startLocalRunner, LocalRunner } from './runner';
export type { LocalRunnerOptions, ServedApi } from './runner';
export { LocalRunnerError } from './errors';
export { RealClock, VirtualClock } from './clock/clock';
export type { Clock } from './clock/clock';
export type { RunSummary } from './observe/run-summary';
export type { PutEventsEntry, PutEventsResultEntry } from './events/event-bus';
export type { InvocationRecord } from './functions/local-functions';
export type { QueuedMessage } from './queues/local-queues';
export type { AppModel } from './model/specs';
export type { EnvVarsDocument } from './overrides/env-vars';
export type { InspectRequest } from './functions/inspected-functions';
