import type { CircuitState } from './circuit-state';

/** Why a call was not let through to the protected function. */
export type RejectReason = 'open' | 'half-open' | 'store-unavailable' | 'local-open' | 'forced-open';

const REJECTED_BECAUSE: Record<RejectReason, string> = {
  'open': 'it is open',
  'half-open': 'it is half-open and every probe permit is taken',
  'store-unavailable': 'the state store is unavailable (fail-closed)',
  'local-open': 'the state store is unreachable and this instance\'s own breaker is open',
  'forced-open': 'an operator forced it open',
};

/**
 * Thrown by `CircuitBreaker.execute` when the circuit does not admit the call
 * (and no fallback is configured).
 */
export class CircuitOpenError extends Error {
  /** The circuit that rejected the call. */
  declare readonly circuit: string;
  /** The state this instance believed the circuit was in when it rejected the call. */
  declare readonly state: CircuitState;
  /**
   * `open`: the open period has not ended; `half-open`: every probe permit is taken;
   * `store-unavailable`: the state store failed and the policy is `fail-closed`;
   * `local-open`: the state store is unreachable (policy `fail-open`) and this instance's own breaker is open;
   * `forced-open`: an operator forced the circuit open (the item's `ctl` attribute).
   */
  declare readonly reason: RejectReason;
  /** Epoch ms at which this instance will next try to admit a call, when known. */
  declare readonly retryAt: number | undefined;

  constructor(circuit: string, state: CircuitState, reason: RejectReason, retryAt?: number) {
    super(`Circuit "${circuit}" rejected the call: ${REJECTED_BECAUSE[reason]}`);
    Object.assign(this, { name: 'CircuitOpenError', circuit, state, reason, retryAt });
  }
}

/** Thrown (and counted as a failure) when the protected function exceeds `callTimeoutMs`. */
export class CallTimeoutError extends Error {
  /** The circuit whose call timed out. */
  declare readonly circuit: string;
  /** The timeout that was exceeded, in ms. */
  declare readonly timeoutMs: number;

  constructor(circuit: string, timeoutMs: number) {
    super(`Circuit "${circuit}": call did not settle within ${timeoutMs} ms`);
    Object.assign(this, { name: 'CallTimeoutError', circuit, timeoutMs });
  }
}

/** Thrown by `CircuitBreaker.state()` when the state store cannot be read. */
export class BreakerStoreError extends Error {
  /** The circuit whose state could not be read or written. */
  declare readonly circuit: string;

  constructor(circuit: string, cause: unknown) {
    super(`Circuit "${circuit}": state store unavailable: ${(cause as Error)?.message ?? cause}`, { cause });
    Object.assign(this, { name: 'BreakerStoreError', circuit });
  }
}
