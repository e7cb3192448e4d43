import { EventEmitter } from 'node:events';
import type * as DynamoDbSdk from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireRunnerDependency } from '../dependencies/runner-dependencies';
import type { FunctionSpec } from '../model/specs';

/** A circuit's state as its DynamoDB item records it. */
export interface BreakerStateChange {
  readonly circuit: string;
  readonly tableName: string;
  readonly from: string;
  readonly to: string;
  readonly version: number;
  /** Epoch ms the open period ends, when open. */
  readonly openUntil?: number;
}

export interface BreakerWatchEvents {
  change: [change: BreakerStateChange];
}

/**
 * Watches the circuit items of the breaker table (the state every instance shares): after an invocation of a
 * function that declares circuits, it reads their items and reports each state change. Reads are coalesced,
 * so a burst of invocations costs one read per circuit.
 */
export class BreakerWatch extends EventEmitter<BreakerWatchEvents> {
  private readonly known = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private closed = false;

  constructor(private readonly client: DynamoDBClient) {
    super();
  }

  /** Called after an invocation of `fn` finished. */
  touched(fn: FunctionSpec): void {
    if (!fn.breaker || this.closed) return;
    for (const circuit of fn.breaker.circuits) this.check(fn.breaker.tableName, circuit);
  }

  /** Resolves when every pending read is done. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  private check(tableName: string, circuit: string): void {
    const key = `${tableName}/${circuit}`;
    if (this.inFlight.has(key)) {
      this.dirty.add(key);
      return;
    }
    const read = this.read(tableName, circuit, key).finally(() => {
      this.inFlight.delete(key);
      if (this.dirty.delete(key)) this.check(tableName, circuit);
    });
    this.inFlight.set(key, read);
  }

  private async read(tableName: string, circuit: string, key: string): Promise<void> {
    try {
      const { GetItemCommand } = requireRunnerDependency<typeof DynamoDbSdk>('@aws-sdk/client-dynamodb');
      const out = await this.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: circuit } }, ConsistentRead: true }));
      const state = out.Item?.st?.S ?? 'CLOSED';
      const previous = this.known.get(key) ?? 'CLOSED';
      if (state !== previous) {
        this.known.set(key, state);
        const openUntil = out.Item?.ou?.N !== undefined ? Number(out.Item.ou.N) : undefined;
        this.emit('change', { circuit, tableName, from: previous, to: state, version: Number(out.Item?.ver?.N ?? 0), ...(state === 'OPEN' && openUntil ? { openUntil } : {}) });
      }
    } catch {
      // The store may be closing; a missed read only delays a log line.
    }
  }

  close(): void {
    this.closed = true;
  }
}
