import {
  type AttributeValue, type DynamoDBClient, GetItemCommand, type GetItemCommandOutput, UpdateItemCommand, type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { BREAKER_TTL_ATTRIBUTE } from '../../contract';
import { type CircuitView, parseItem } from './circuit-item';
import type { CircuitState } from './circuit-state';

/** Outcomes counted locally since the last flush. */
export interface PendingCounts {
  s: number;
  f: number;
  slow: number;
}

type Values = Record<string, AttributeValue>;

const num = (value: number): AttributeValue => ({ N: String(value) });
/** Items not written for this long are removed by the table's TTL (an idle circuit reads as a new one). */
const IDLE_EXPIRY_MS = 7 * 86_400_000;
const expiresAt = (from: number): AttributeValue => num(Math.ceil((from + IDLE_EXPIRY_MS) / 1000));
const str = (value: string): AttributeValue => ({ S: value });

/**
 * The DynamoDB operations of one circuit. Every write is one UpdateItem returning ALL_NEW, so the caller
 * always learns the fleet-wide item; a failed condition returns `undefined` (the store does not say why,
 * dynalite ignores ReturnValuesOnConditionCheckFailure) and the caller re-reads with `get()`.
 * Every request is bounded by `timeoutMs`, whatever client the user passed.
 */
export class BreakerStore {
  private warm = false;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly circuit: string,
    private readonly probes: number,
    private readonly timeoutMs: number,
  ) {}

  /** Consistent read of the circuit. */
  async get(): Promise<CircuitView> {
    const out = await this.send<GetItemCommandOutput>(new GetItemCommand({ TableName: this.tableName, Key: this.key(), ConsistentRead: true }));
    return parseItem(out.Item, this.probes);
  }

  /** Adds local outcomes to the current bucket and drops buckets that left the window. */
  async flush(counts: PendingCounts, version: number, now: number, bucket: number, expired: readonly string[]): Promise<CircuitView> {
    const names: Record<string, string> = { '#st': 'st', '#ver': 'ver', '#exp': BREAKER_TTL_ATTRIBUTE };
    const values: Values = { ':closed': str('CLOSED'), ':zero': num(0), ':exp': expiresAt(now) };
    const adds: string[] = [];
    for (const kind of ['s', 'f', 'slow'] as const) {
      if (counts[kind] > 0) {
        names[`#${kind}`] = `${kind}_${version}_${bucket}`;
        values[`:${kind}`] = num(counts[kind]);
        adds.push(`#${kind} :${kind}`);
      }
    }
    const removes = expired.map((attribute, i) => {
      names[`#r${i}`] = attribute;
      return `#r${i}`;
    });
    const expression = 'SET #st = if_not_exists(#st, :closed), #ver = if_not_exists(#ver, :zero), #exp = :exp'
      + (adds.length > 0 ? ` ADD ${adds.join(', ')}` : '')
      + (removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : '');
    return (await this.update(expression, names, values))!;
  }

  /** Opens the circuit if it is still `from` at `version`: the single winner of a race. */
  open(from: CircuitState, version: number, now: number, openUntil: number, openCount: number): Promise<CircuitView | undefined> {
    return this.update(
      `SET #st = :open, #ver = :next, #ou = :until, #oc = :oc, #ts = :now, #exp = :exp${this.clearSlots()}`,
      { '#st': 'st', '#ver': 'ver', '#ou': 'ou', '#oc': 'oc', '#ts': 'ts', '#exp': BREAKER_TTL_ATTRIBUTE },
      {
        ':open': str('OPEN'), ':exp': expiresAt(openUntil), ':next': num(version + 1), ':until': num(openUntil),
        ':oc': num(openCount), ':now': num(now), ':from': str(from), ':v': num(version),
      },
      '#st = :from AND #ver = :v',
    );
  }

  /**
   * Takes probe slot `slot` with a lease until `leaseUntil`. Moves an expired OPEN to HALF_OPEN on the way
   * (no version bump: half-open belongs to the same open epoch). A slot is free when it never succeeded and
   * its lease is absent or expired, which is what lets a crashed probe's permit be reclaimed.
   */
  acquire(slot: number, version: number, now: number, leaseUntil: number, token: string): Promise<CircuitView | undefined> {
    return this.update(
      'SET #st = :half, #lx = :lease, #lo = :token',
      { '#st': 'st', '#ver': 'ver', '#ou': 'ou', '#lx': `lx${slot}`, '#lo': `lo${slot}`, '#ld': `ld${slot}` },
      { ':half': str('HALF_OPEN'), ':open': str('OPEN'), ':lease': num(leaseUntil), ':token': str(token), ':now': num(now), ':v': num(version) },
      '#ver = :v AND (#st = :half OR (#st = :open AND #ou <= :now)) AND attribute_not_exists(#ld)'
        + ' AND (attribute_not_exists(#lx) OR #lx < :now)',
    );
  }

  /** Marks this instance's probe as succeeded, if it still holds the slot's lease. */
  probeSucceeded(slot: number, version: number, token: string): Promise<CircuitView | undefined> {
    return this.update(
      'SET #ld = :one',
      { '#st': 'st', '#ver': 'ver', '#lo': `lo${slot}`, '#ld': `ld${slot}` },
      { ':one': num(1), ':half': str('HALF_OPEN'), ':token': str(token), ':v': num(version) },
      '#ver = :v AND #st = :half AND #lo = :token',
    );
  }

  /** Closes a half-open circuit whose every probe succeeded: the single winner of a race. */
  close(version: number, now: number): Promise<CircuitView | undefined> {
    const names: Record<string, string> = { '#st': 'st', '#ver': 'ver', '#ou': 'ou', '#oc': 'oc', '#ts': 'ts', '#exp': BREAKER_TTL_ATTRIBUTE };
    const done: string[] = [];
    for (let i = 0; i < this.probes; i++) {
      names[`#d${i}`] = `ld${i}`;
      done.push(`attribute_exists(#d${i})`);
    }
    return this.update(
      `SET #st = :closed, #ver = :next, #oc = :zero, #ts = :now, #exp = :exp${this.clearSlots()}, #ou`,
      names,
      {
        ':exp': expiresAt(now), ':closed': str('CLOSED'), ':half': str('HALF_OPEN'), ':next': num(version + 1),
        ':zero': num(0), ':now': num(now), ':v': num(version),
      },
      `#ver = :v AND #st = :half AND ${done.join(' AND ')}`,
    );
  }

  private clearSlots(): string {
    const attributes: string[] = [];
    for (let i = 0; i < this.probes; i++) attributes.push(`lx${i}`, `lo${i}`, `ld${i}`);
    return ` REMOVE ${attributes.join(', ')}`;
  }

  private async update(expression: string, names: Record<string, string>, values: Values, condition?: string): Promise<CircuitView | undefined> {
    try {
      const out = await this.send<UpdateItemCommandOutput>(new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }));
      return parseItem(out.Attributes, this.probes);
    } catch (error) {
      if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  private key(): Values {
    return { pk: str(this.circuit) };
  }

  /**
   * Bounds the request by our own deadline (the SDK's timeouts do not cover retries, and a user-supplied
   * client may have none). The first request of an instance also pays for TCP and TLS set-up, so it gets
   * three times the budget.
   */
  private async send<T>(command: { readonly input: unknown }): Promise<T> {
    const budget = this.warm ? this.timeoutMs : this.timeoutMs * 3;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`DynamoDB did not answer within ${budget} ms`));
      }, budget);
    });
    try {
      const sent = (this.client.send as (c: unknown, o: unknown) => Promise<T>)(command, { abortSignal: controller.signal });
      const result = await Promise.race([sent, deadline]);
      this.warm = true;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }
}
