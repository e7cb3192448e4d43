import type { StateChange } from './circuit-state';
import type { CircuitOpenError } from './errors';

/** Events a breaker emits, with their payloads. */
export interface BreakerEvents {
  /** Any state change this instance observed (or wrote). */
  stateChange: StateChange;
  /** The circuit became OPEN. */
  open: StateChange;
  /** The circuit became HALF_OPEN. */
  halfOpen: StateChange;
  /** The circuit became CLOSED. */
  close: StateChange;
  /** A call was rejected. */
  reject: CircuitOpenError;
  /** A store request failed or timed out; the store-failure policy applies for a while. */
  storeError: unknown;
}

/** Name of a breaker event. */
export type BreakerEventName = keyof BreakerEvents;
