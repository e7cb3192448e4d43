import type { HttpAnswer } from '../http/http-answer';
import { TokenBucket } from '../http/token-bucket';
import type { ApiAuthSpec, ApiKeySpec, UsagePlanSpec } from './auth-specs';

type QuotaPeriod = NonNullable<UsagePlanSpec['quota']>['period'];
import { REST_AUTH_ANSWERS } from './gateway-answers';

/*
 * REST API keys and usage plans: a method with ApiKeyRequired needs an enabled key that a usage plan of the
 * API's stage lists (else 403 Forbidden); the plan's throttle (per method where it sets one) and quota apply
 * per key (429 Too Many Requests / Limit Exceeded).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */

export interface KeyCheck {
  readonly stage: string;
  /** `METHOD /resource/path`. */
  readonly method: string;
  /** The value of `x-api-key`, or the authorizer's usageIdentifierKey. */
  readonly key: string | undefined;
  /** Runner clock, ms. */
  readonly now: number;
}

export class ApiKeyGuard {
  private readonly buckets = new Map<string, TokenBucket>();
  /** Requests counted per plan, key and quota period. */
  private readonly used = new Map<string, { period: number; count: number }>();

  constructor(private readonly auth: ApiAuthSpec) {}

  /** Undefined when the request may go on; else API Gateway's answer. */
  check(c: KeyCheck): { answer?: HttpAnswer; key?: ApiKeySpec } {
    const key = c.key === undefined ? undefined : this.auth.apiKeys.find((k) => k.value === c.key && k.enabled);
    const plan = key && this.auth.usagePlans.find((p) => p.stage === c.stage && p.keyIds.includes(key.id));
    if (!key || !plan) return { answer: REST_AUTH_ANSWERS.invalidApiKey };
    const limits = plan.methodThrottles.get(c.method) ?? plan.throttle;
    if (limits) {
      const id = `${plan.id}/${key.id}/${plan.methodThrottles.has(c.method) ? c.method : '*'}`;
      let bucket = this.buckets.get(id);
      if (!bucket) this.buckets.set(id, (bucket = new TokenBucket(limits)));
      if (!bucket.take()) return { answer: REST_AUTH_ANSWERS.throttled, key };
    }
    if (plan.quota) {
      const period = periodStart(plan.quota.period, c.now);
      const id = `${plan.id}/${key.id}`;
      const used = this.used.get(id);
      const count = used && used.period === period ? used.count : 0;
      if (count >= plan.quota.limit) return { answer: REST_AUTH_ANSWERS.quotaExceeded, key };
      this.used.set(id, { period, count: count + 1 });
    }
    return { key };
  }
}

/** Start (UTC) of the quota period holding `now`: the day, the week (from Monday) or the month. */
export function periodStart(period: QuotaPeriod, now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'WEEK') return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
