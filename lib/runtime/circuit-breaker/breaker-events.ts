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

/** Minimal typed emitter: listeners must not break the protected call, so their errors are swallowed. */
export class BreakerEmitter {
  readonly #listeners = new Map<BreakerEventName, Array<(payload: never) => void>>();

  on<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as (payload: never) => void);
    this.#listeners.set(event, list);
  }

  off<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): void {
    const list = this.#listeners.get(event);
    if (list) this.#listeners.set(event, list.filter((l) => l !== (listener as unknown)));
  }

  emit<E extends BreakerEventName>(event: E, payload: BreakerEvents[E]): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    for (const listener of list) {
      try {
        (listener as (p: BreakerEvents[E]) => void)(payload);
      } catch {
        // a faulty listener must not turn a successful protected call into a failure
      }
    }
  }
}
