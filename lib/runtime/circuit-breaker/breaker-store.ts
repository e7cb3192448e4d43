import type { AttributeValue, DynamoDBClient, GetItemOutput, UpdateItemOutput } from '@aws-sdk/client-dynamodb';
import { BREAKER_TTL_ATTRIBUTE } from '../../contract';
import { CLOSED, type CircuitView, HALF_OPEN, LEASE_SKEW_MS, OPEN, parseItem } from './circuit-item';
import type { CircuitState } from './circuit-state';
import { loadDynamoDbSdk } from './dynamodb-sdk';
import type { ResolvedOptions } from './options';
import type { BucketCounts } from './pending-outcomes';
import { isThrottled } from './write-outcome';

type Values = Record<string, number | string>;

/**
 * A request that passed its deadline. A write's request is not aborted then (DynamoDB may be applying it):
 * `late` settles with its reply, or fails once LATE_REPLY_FACTOR deadlines have passed.
 */
export class StoreDeadlineError extends Error {
  constructor(budgetMs: number, readonly late?: Promise<CircuitView | undefined>) {
    super(`DynamoDB did not answer within ${budgetMs} ms`);
    this.name = 'StoreDeadlineError';
  }
}

/** Attempts of a throttled request (never applied, so safe to resend), spaced by a jittered pause. */
const THROTTLED_ATTEMPTS = 3;
const THROTTLE_PAUSE_MS = 20;

/** How many deadlines a write's late reply is awaited before the request is aborted. */
export const LATE_REPLY_FACTOR = 10;

/** Marks a flush with this instance's attribute and a value that grows with every flush (see flush). */
export interface FlushMark {
  readonly attribute: string;
  readonly at: number;
}

/** Items not written for this long are removed by the table's TTL (an idle circuit reads as a new one). */
const IDLE_EXPIRY_MS = 7 * 86_400_000;
const expiry = (from: number): Values => ({ [BREAKER_TTL_ATTRIBUTE]: Math.ceil((from + IDLE_EXPIRY_MS) / 1000) });

/** The DynamoDB operations of one circuit (see breakerStore). */
export type BreakerStore = ReturnType<typeof breakerStore>;

/**
 * The DynamoDB operations of one circuit. Every write is one UpdateItem returning ALL_NEW, so the caller
 * always learns the fleet-wide item; a failed condition returns `undefined` (the store does not say why,
 * dynalite ignores ReturnValuesOnConditionCheckFailure) and the caller re-reads with `get()`.
 * Every request is bounded by `storeTimeoutMs`, whatever client the user passed.
 * `connect` creates the client on first use (see loadDynamoDbSdk).
 */
export function breakerStore(connect: () => Promise<DynamoDBClient>, o: ResolvedOptions) {
  let warm = false;
  let client: Promise<DynamoDBClient> | undefined;
  const slots = (attributes: (i: number) => string[]): string[] => [...Array(o.halfOpenProbes).keys()].flatMap(attributes);
  const clearSlots = (): string => list(' REMOVE ', slots((i) => [`#lx${i}`, `#lo${i}`, `#ld${i}`]));

  /**
   * Bounds the request by our own deadline (the SDK's timeouts do not cover retries, and a user-supplied
   * client may have none). The first request of an instance also pays for TCP and TLS set-up, so it gets
   * three times the budget. A read is aborted at the deadline. A write whose reply may arrive late keeps
   * running: the deadline error carries its late outcome (a failed condition as undefined), so the caller
   * learns whether it was applied instead of guessing.
   */
  async function sendOnce(command: object, replyMayBeLate: boolean): Promise<CircuitView> {
    const budget = warm ? o.storeTimeoutMs : o.storeTimeoutMs * 3;
    const controller = new AbortController();
    const sent = (await (client ??= connect())).send(command as never, { abortSignal: controller.signal })
      .then((out) => parseItem((out as GetItemOutput).Item ?? (out as UpdateItemOutput).Attributes));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        let late;
        if (replyMayBeLate) {
          const giveUp = setTimeout(() => controller.abort(), budget * (LATE_REPLY_FACTOR - 1));
          (giveUp as { unref?: () => void }).unref?.();
          late = sent.catch(conditionFailedAsUndefined).finally(() => clearTimeout(giveUp));
        } else {
          controller.abort();
        }
        reject(new StoreDeadlineError(budget, late));
      }, budget);
    });
    try {
      const result = await Promise.race([sent, deadline]);
      warm = true;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `<operation>ItemCommand`, resending a throttled request (see sendOnce for the deadline). */
  async function send(operation: 'Get' | 'Update', input: object, replyMayBeLate = false): Promise<CircuitView> {
    const Command = (await loadDynamoDbSdk())[`${operation}ItemCommand`] as unknown as new (input: object) => object;
    const command = new Command({ TableName: o.tableName, Key: { pk: { S: o.name } }, ...input });
    for (let attempt = 1; ; attempt++) {
      try {
        return await sendOnce(command, replyMayBeLate);
      } catch (error) {
        if (attempt >= THROTTLED_ATTEMPTS || !isThrottled(error)) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * THROTTLE_PAUSE_MS * attempt));
      }
    }
  }

  /**
   * `SET #a = :a` for every attribute of `set`, then `clauses`; the condition's `:values` are `values`.
   * Every `#name` placeholder stands for the attribute `name`; values are plain numbers and strings.
   */
  async function update(set: Values, values: Values, condition?: string, clauses = '', replyMayBeLate = false): Promise<CircuitView | undefined> {
    const expression = 'SET ' + Object.keys(set).map((a) => `#${a} = :${a}`).join(', ') + clauses;
    const names: Record<string, string> = {};
    for (const [placeholder, attribute] of `${expression} ${condition}`.matchAll(/#(\w+)/g)) names[placeholder] = attribute;
    const attributeValues: Record<string, AttributeValue> = {};
    for (const [key, value] of Object.entries({ ...set, ...values })) attributeValues[`:${key}`] = typeof value === 'number' ? { N: String(value) } : { S: value };
    try {
      return await send('Update', {
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: attributeValues,
        ReturnValues: 'ALL_NEW',
      }, replyMayBeLate);
    } catch (error) {
      return conditionFailedAsUndefined(error);
    }
  }

  return {
    /** Consistent read of the circuit. */
    get: (): Promise<CircuitView> => send('Get', { ConsistentRead: true }),

    /**
     * Adds local outcomes to the counters of their buckets and removes attributes that left the window.
     * A marked flush also sets the instance's mark to `mark.at`, on condition that the mark is older: sent
     * again after a lost reply, it applies only if the first one did not (undefined: it already had).
     */
    flush(buckets: readonly BucketCounts[], version: number, now: number, expired: readonly string[], mark?: FlushMark): Promise<CircuitView | undefined> {
      const set = expiry(now);
      const adds: Values = {};
      for (const counts of buckets) {
        for (const kind of ['s', 'f', 'slow'] as const) if (counts[kind] > 0) adds[`${kind}_${version}_${counts.bucket}`] = counts[kind];
      }
      if (mark) set[mark.attribute] = mark.at;
      return update(
        set,
        { closed: CLOSED, zero: 0, ...adds },
        mark && `attribute_not_exists(#${mark.attribute}) OR #${mark.attribute} < :${mark.attribute}`,
        ', #st = if_not_exists(#st, :closed), #ver = if_not_exists(#ver, :zero)'
          + list(' ADD ', Object.keys(adds).map((a) => `#${a} :${a}`))
          + list(' REMOVE ', expired.map((a) => `#${a}`)),
        true,
      );
    },

    /**
     * Opens the circuit if it is still `from` at `version`: the single winner of a race. `by` marks the item
     * with the writer, so a writer whose reply was lost can still tell from a later read that it opened it.
     */
    open: (from: CircuitState, version: number, now: number, openUntil: number, openCount: number, by: string): Promise<CircuitView | undefined> =>
      update({ st: OPEN, ver: version + 1, ou: openUntil, oc: openCount, ts: now, by, ...expiry(openUntil) }, { from, v: version }, '#st = :from AND #ver = :v', clearSlots()),

    /**
     * Takes probe slot `slot` with a lease until `leaseUntil`. Moves an expired OPEN to HALF_OPEN on the way
     * (no version bump: half-open belongs to the same open epoch). A slot is free when it never succeeded and
     * its lease is absent or expired, which is what lets a crashed probe's permit be reclaimed.
     */
    acquire: (slot: number, version: number, now: number, leaseUntil: number, token: string): Promise<CircuitView | undefined> => update(
      { st: HALF_OPEN, [`lx${slot}`]: leaseUntil, [`lo${slot}`]: token },
      { open: OPEN, now, stale: now - LEASE_SKEW_MS, v: version },
      `#ver = :v AND (#st = :st OR (#st = :open AND #ou <= :now)) AND attribute_not_exists(#ld${slot})`
        + ` AND (attribute_not_exists(#lx${slot}) OR #lx${slot} < :stale)`,
    ),

    /** Marks this instance's probe as succeeded, if it still holds the slot's lease. */
    probeSucceeded: (slot: number, version: number, token: string): Promise<CircuitView | undefined> =>
      update({ [`ld${slot}`]: 1 }, { half: HALF_OPEN, token, v: version }, `#ver = :v AND #st = :half AND #lo${slot} = :token`),

    /** Closes a half-open circuit whose every probe succeeded: the single winner of a race. */
    close: (version: number, now: number): Promise<CircuitView | undefined> => update(
      { st: CLOSED, ver: version + 1, oc: 0, ts: now, ...expiry(now) },
      { half: HALF_OPEN, v: version },
      '#ver = :v AND #st = :half' + slots((i) => [` AND attribute_exists(#ld${i})`]).join(''),
      clearSlots() + ', #ou',
    ),
  };
}

/** ` KEYWORD a, b` for a non-empty list, else nothing. */
const list = (keyword: string, items: string[]): string => (items.length > 0 ? keyword + items.join(', ') : '');

/** A failed condition is an answer (undefined), any other error is thrown. */
function conditionFailedAsUndefined(error: unknown): undefined {
  if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') return undefined;
  throw error;
}
