import type { AttributeValue, DynamoDBClient, GetItemCommandOutput, UpdateItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { BREAKER_TTL_ATTRIBUTE } from '../../contract';
import { type CircuitView, LEASE_SKEW_MS, parseItem } from './circuit-item';
import { loadDynamoDbSdk } from './dynamodb-sdk';
import { isThrottled } from './write-outcome';
import type { BucketCounts } from './pending-outcomes';
import type { CircuitState } from './circuit-state';

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
const expiresAt = (from: number): number => Math.ceil((from + IDLE_EXPIRY_MS) / 1000);
const EXPIRES = `#${BREAKER_TTL_ATTRIBUTE}`;

/**
 * The DynamoDB operations of one circuit. Every write is one UpdateItem returning ALL_NEW, so the caller
 * always learns the fleet-wide item; a failed condition returns `undefined` (the store does not say why,
 * dynalite ignores ReturnValuesOnConditionCheckFailure) and the caller re-reads with `get()`.
 * Every request is bounded by `timeoutMs`, whatever client the user passed.
 */
export class BreakerStore {
  #warm = false;
  readonly #connect: () => Promise<DynamoDBClient>;
  #client: Promise<DynamoDBClient> | undefined;
  readonly #tableName: string;
  readonly #circuit: string;
  readonly #probes: number;
  readonly #timeoutMs: number;

  /** `connect` creates the client on first use (see loadDynamoDbSdk). */
  constructor(connect: () => Promise<DynamoDBClient>, tableName: string, circuit: string, probes: number, timeoutMs: number) {
    this.#connect = connect;
    this.#tableName = tableName;
    this.#circuit = circuit;
    this.#probes = probes;
    this.#timeoutMs = timeoutMs;
  }

  /** Consistent read of the circuit. */
  async get(): Promise<CircuitView> {
    const { GetItemCommand } = await loadDynamoDbSdk();
    return this.#send(new GetItemCommand({ TableName: this.#tableName, Key: this.#key(), ConsistentRead: true }),
      (out: GetItemCommandOutput) => parseItem(out.Item, this.#probes));
  }

  /**
   * Adds local outcomes to the counters of their buckets and removes attributes that left the window.
   * A marked flush also sets the instance's mark to `mark.at`, on condition that the mark is older: sent
   * again after a lost reply, it applies only if the first one did not (undefined: it already had).
   */
  async flush(buckets: readonly BucketCounts[], version: number, now: number, expired: readonly string[], mark?: FlushMark): Promise<CircuitView | undefined> {
    const values: Values = { ':closed': 'CLOSED', ':zero': 0, ':exp': expiresAt(now) };
    let marking = '';
    let condition: string | undefined;
    if (mark) {
      values[':at'] = mark.at;
      marking = `, #${mark.attribute} = :at`;
      condition = `attribute_not_exists(#${mark.attribute}) OR #${mark.attribute} < :at`;
    }
    const adds: string[] = [];
    for (const counts of buckets) {
      for (const kind of ['s', 'f', 'slow'] as const) {
        if (counts[kind] > 0) {
          const name = `${kind}_${version}_${counts.bucket}`;
          values[`:${name}`] = counts[kind];
          adds.push(`#${name} :${name}`);
        }
      }
    }
    return this.#update(
      `SET #st = if_not_exists(#st, :closed), #ver = if_not_exists(#ver, :zero), ${EXPIRES} = :exp${marking}`
        + (adds.length > 0 ? ` ADD ${adds.join(', ')}` : '')
        + (expired.length > 0 ? ` REMOVE ${expired.map((a) => `#${a}`).join(', ')}` : ''),
      values,
      condition,
      true,
    );
  }

  /**
   * Opens the circuit if it is still `from` at `version`: the single winner of a race. `by` marks the item
   * with the writer, so a writer whose reply was lost can still tell from a later read that it opened it.
   */
  open(from: CircuitState, version: number, now: number, openUntil: number, openCount: number, by: string): Promise<CircuitView | undefined> {
    return this.#update(
      `SET #st = :open, #ver = :next, #ou = :until, #oc = :oc, #ts = :now, #by = :by, ${EXPIRES} = :exp${this.#clearSlots()}`,
      { ':open': 'OPEN', ':exp': expiresAt(openUntil), ':next': version + 1, ':until': openUntil, ':oc': openCount, ':now': now, ':by': by, ':from': from, ':v': version },
      '#st = :from AND #ver = :v',
    );
  }

  /**
   * Takes probe slot `slot` with a lease until `leaseUntil`. Moves an expired OPEN to HALF_OPEN on the way
   * (no version bump: half-open belongs to the same open epoch). A slot is free when it never succeeded and
   * its lease is absent or expired, which is what lets a crashed probe's permit be reclaimed.
   */
  acquire(slot: number, version: number, now: number, leaseUntil: number, token: string): Promise<CircuitView | undefined> {
    return this.#update(
      `SET #st = :half, #lx${slot} = :lease, #lo${slot} = :token`,
      { ':half': 'HALF_OPEN', ':open': 'OPEN', ':lease': leaseUntil, ':token': token, ':now': now, ':stale': now - LEASE_SKEW_MS, ':v': version },
      `#ver = :v AND (#st = :half OR (#st = :open AND #ou <= :now)) AND attribute_not_exists(#ld${slot})`
        + ` AND (attribute_not_exists(#lx${slot}) OR #lx${slot} < :stale)`,
    );
  }

  /** Marks this instance's probe as succeeded, if it still holds the slot's lease. */
  probeSucceeded(slot: number, version: number, token: string): Promise<CircuitView | undefined> {
    return this.#update(
      `SET #ld${slot} = :one`,
      { ':one': 1, ':half': 'HALF_OPEN', ':token': token, ':v': version },
      `#ver = :v AND #st = :half AND #lo${slot} = :token`,
    );
  }

  /** Closes a half-open circuit whose every probe succeeded: the single winner of a race. */
  close(version: number, now: number): Promise<CircuitView | undefined> {
    let allDone = '';
    for (let i = 0; i < this.#probes; i++) allDone += ` AND attribute_exists(#ld${i})`;
    return this.#update(
      `SET #st = :closed, #ver = :next, #oc = :zero, #ts = :now, ${EXPIRES} = :exp${this.#clearSlots()}, #ou`,
      { ':exp': expiresAt(now), ':closed': 'CLOSED', ':half': 'HALF_OPEN', ':next': version + 1, ':zero': 0, ':now': now, ':v': version },
      `#ver = :v AND #st = :half${allDone}`,
    );
  }

  #clearSlots(): string {
    const attributes: string[] = [];
    for (let i = 0; i < this.#probes; i++) attributes.push(`#lx${i}`, `#lo${i}`, `#ld${i}`);
    return ` REMOVE ${attributes.join(', ')}`;
  }

  /** Every `#name` placeholder stands for the attribute `name`; values are plain numbers and strings. */
  async #update(expression: string, values: Values, condition?: string, replyMayBeLate = false): Promise<CircuitView | undefined> {
    const names: Record<string, string> = {};
    for (const [placeholder, attribute] of (expression + (condition ?? '')).matchAll(/#(\w+)/g)) names[placeholder] = attribute;
    const attributeValues: Record<string, AttributeValue> = {};
    for (const [key, value] of Object.entries(values)) attributeValues[key] = typeof value === 'number' ? { N: String(value) } : { S: value };
    const { UpdateItemCommand } = await loadDynamoDbSdk();
    const parse = (out: UpdateItemCommandOutput) => parseItem(out.Attributes, this.#probes);
    try {
      return await this.#send(new UpdateItemCommand({
        TableName: this.#tableName,
        Key: this.#key(),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: attributeValues,
        ReturnValues: 'ALL_NEW',
      }), parse, replyMayBeLate ? conditionFailedAsUndefined : undefined);
    } catch (error) {
      return conditionFailedAsUndefined(error);
    }
  }

  #key(): Record<string, AttributeValue> {
    return { pk: { S: this.#circuit } };
  }

  /**
   * Bounds the request by our own deadline (the SDK's timeouts do not cover retries, and a user-supplied
   * client may have none). The first request of an instance also pays for TCP and TLS set-up, so it gets
   * three times the budget. A read is aborted at the deadline. A write whose reply may arrive late
   * (`onLateFailure` given) keeps running: the deadline error carries its late outcome, failures mapped
   * through `onLateFailure`, so the caller learns whether it was applied instead of guessing.
   */
  async #send<O>(command: { readonly input: unknown }, parse: (out: O) => CircuitView,
    onLateFailure?: (error: unknown) => CircuitView | undefined): Promise<CircuitView> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#sendOnce(command, parse, onLateFailure);
      } catch (error) {
        if (attempt >= THROTTLED_ATTEMPTS || !isThrottled(error)) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * THROTTLE_PAUSE_MS * attempt));
      }
    }
  }

  async #sendOnce<O>(command: { readonly input: unknown }, parse: (out: O) => CircuitView,
    onLateFailure?: (error: unknown) => CircuitView | undefined): Promise<CircuitView> {
    const budget = this.#warm ? this.#timeoutMs : this.#timeoutMs * 3;
    const controller = new AbortController();
    const client = await (this.#client ??= this.#connect());
    const sent = (client.send as (c: unknown, o: unknown) => Promise<O>)(command, { abortSignal: controller.signal });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (!onLateFailure) {
          controller.abort();
          reject(new StoreDeadlineError(budget));
          return;
        }
        const giveUp = setTimeout(() => controller.abort(), budget * (LATE_REPLY_FACTOR - 1));
        (giveUp as { unref?: () => void }).unref?.();
        const late = sent.then(parse, onLateFailure).finally(() => clearTimeout(giveUp));
        reject(new StoreDeadlineError(budget, late));
      }, budget);
    });
    try {
      const result = parse(await Promise.race([sent, deadline]));
      this.#warm = true;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A failed condition is an answer (undefined), any other error is thrown. */
function conditionFailedAsUndefined(error: unknown): undefined {
  if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') return undefined;
  throw error;
}
