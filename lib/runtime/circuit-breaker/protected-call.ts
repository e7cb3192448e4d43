import { CallTimeoutError } from './errors';

/** How many calls share one never-aborting signal before it is replaced. */
const SHARED_SIGNAL_USES = 8;

/** Runs the protected function with its AbortSignal, enforcing the call timeout when there is one. */
export class ProtectedCall {
  readonly #circuit: string;
  readonly #timeoutMs: number | undefined;
  #sharedSignal = new AbortController().signal;
  #sharedSignalUses = 0;

  constructor(circuit: string, timeoutMs: number | undefined) {
    this.#circuit = circuit;
    this.#timeoutMs = timeoutMs;
  }

  run<T>(fn: (signal: AbortSignal) => T | Promise<T>): T | Promise<T> {
    return this.#timeoutMs === undefined ? fn(this.#idleSignal()) : this.#withTimeout(fn, this.#timeoutMs);
  }

  /**
   * Without a call timeout the signal never fires, so calls share one (an AbortController costs about as much
   * as the whole hot path). It is replaced every few calls, so listeners callers never remove become garbage
   * with it instead of piling up (and never reach Node's 10-listener warning).
   */
  #idleSignal(): AbortSignal {
    if (++this.#sharedSignalUses > SHARED_SIGNAL_USES) {
      this.#sharedSignalUses = 1;
      this.#sharedSignal = new AbortController().signal;
    }
    return this.#sharedSignal;
  }

  async #withTimeout<T>(fn: (signal: AbortSignal) => T | Promise<T>, timeoutMs: number): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new CallTimeoutError(this.#circuit, timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      return await Promise.race([fn(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
