import type { BreakerEventName, BreakerEvents } from './breaker-events';
import { circuitProtocol } from './circuit-protocol';
import type { CircuitState } from './circuit-state';
import type { ExecuteOptions, LambdaContextLike } from './execute-options';
import { type CircuitBreakerOptions, resolveOptions } from './options';

/**
 * A circuit breaker whose state is shared by every Lambda instance through one DynamoDB item.
 *
 * Create it at module scope: its cache of the circuit's state is what keeps DynamoDB requests
 * proportional to instances rather than calls. The hot path (CLOSED, state fresh) and rejections
 * while OPEN touch no network; outcomes are counted locally and flushed with one atomic ADD,
 * inside `execute`, because Lambda freezes the environment once the handler returns.
 */
export class CircuitBreaker {
  /** The circuit name (partition key of its item). */
  readonly name: string;
  readonly #circuit: ReturnType<typeof circuitProtocol>;

  constructor(options: CircuitBreakerOptions) {
    const resolved = resolveOptions(options);
    this.name = resolved.name;
    this.#circuit = circuitProtocol(resolved);
  }

  /**
   * Runs `fn` through the breaker. `fn` receives an AbortSignal that fires after `callTimeoutMs`.
   * Throws `CircuitOpenError` when the call is rejected, and whatever `fn` threw when it fails,
   * unless a fallback is configured. Pass the Lambda context (or `remainingTimeMs`) so a half-open
   * probe's lease never outlives the invocation.
   */
  execute<T>(fn: (signal: AbortSignal) => T | Promise<T>, options?: ExecuteOptions<T> | LambdaContextLike): Promise<T> {
    return this.#circuit.execute(fn, options);
  }

  /**
   * The circuit's state, read consistently from the store. An OPEN circuit whose open period has
   * ended reports HALF_OPEN (the next call will probe). Throws `BreakerStoreError` if the store fails.
   */
  state(): Promise<CircuitState> {
    return this.#circuit.state();
  }

  /** The state this instance last learned from the store (no I/O); undefined before the first read. */
  get cachedState(): CircuitState | undefined {
    return this.#circuit.cachedState();
  }

  /** Subscribes to an event (`stateChange`, `open`, `halfOpen`, `close`, `reject`, `storeError`). */
  on<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): this {
    this.#circuit.on(event, listener);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<E extends BreakerEventName>(event: E, listener: (payload: BreakerEvents[E]) => void): this {
    this.#circuit.off(event, listener);
    return this;
  }
}
