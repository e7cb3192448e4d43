/** The state of a circuit: CLOSED lets calls through, OPEN rejects them, HALF_OPEN lets a few probes through. */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** A transition of a circuit as observed by this instance. */
export interface StateChange {
  /** The circuit name. */
  readonly circuit: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Version of the stored item after the change (bumped on every open and close). */
  readonly version: number;
  /** True when this instance wrote the transition; false when it learned it from the store. */
  readonly byThisInstance: boolean;
  /** Epoch ms (from the breaker's clock) when this instance observed the change. */
  readonly at: number;
}
