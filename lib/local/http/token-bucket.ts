import type { ThrottleLimits } from '../model/specs';

/**
 * API Gateway's throttle: a bucket of `burstLimit` tokens refilled at `rateLimit` per second; a request takes
 * a token or is rejected with 429.
 */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly limits: ThrottleLimits) {
    this.tokens = limits.burstLimit;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + ((now - this.last) / 1000) * this.limits.rateLimit);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
