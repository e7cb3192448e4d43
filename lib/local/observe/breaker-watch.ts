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
  /**
   * Set when the change stands for this many transitions that happened between two reads and cannot be told
   * apart (e.g. CLOSED to OPEN three versions later: re-opened after a failed probe, or closed and opened again).
   */
  readonly transitions?: number;
}

/** A circuit as one read of its item saw it. */
export interface CircuitSnapshot {
  readonly state: string;
  readonly version: number;
}

/** A circuit's item as last read, for the local dashboard. */
export interface CircuitReading extends CircuitSnapshot {
  readonly circuit: string;
  readonly tableName: string;
  /** Epoch ms the open period ends, when the item has one. */
  readonly openUntil?: number;
}

type Step = { readonly from: string; readonly to: string; readonly version: number };

/** Paths longer than this many version bumps are not searched: they are reported as one change. */
const MAX_BUMPS = 4;

/**
 * The state changes that lead from one read of a circuit to the next. The breaker bumps the version on every
 * open and every close, and on nothing else; it opens from CLOSED or HALF_OPEN, closes from HALF_OPEN, and
 * moves an expired OPEN to HALF_OPEN within the same version. So OPEN v3 then OPEN v4 was a failed probe,
 * OPEN -> HALF_OPEN -> OPEN, though the two reads show the same state. When several paths fit, one change
 * with the number of versions between stands for them.
 */
export function changesBetween(before: CircuitSnapshot, after: CircuitSnapshot): Array<Step & { transitions?: number }> {
  const bumps = after.version - before.version;
  if (bumps === 0 && before.state === after.state) return [];
  const paths = bumps < 0 || bumps > MAX_BUMPS ? [] : pathsBetween(before, after);
  if (paths.length === 1) return paths[0];
  // The item was reset (expired, deleted), or several histories fit: say what is known.
  return [{ from: before.state, to: after.state, version: after.version, ...(bumps > 1 ? { transitions: bumps } : {}) }];
}

function pathsBetween(at: CircuitSnapshot, goal: CircuitSnapshot): Step[][] {
  if (at.version === goal.version && at.state === goal.state) return [[]];
  if (at.version > goal.version) return [];
  const moves: CircuitSnapshot[] = [];
  if (at.state === 'OPEN') moves.push({ state: 'HALF_OPEN', version: at.version });
  if (at.state === 'CLOSED' || at.state === 'HALF_OPEN') moves.push({ state: 'OPEN', version: at.version + 1 });
  if (at.state === 'HALF_OPEN') moves.push({ state: 'CLOSED', version: at.version + 1 });
  return moves.flatMap((next) => pathsBetween(next, goal).map((rest) => [{ from: at.state, to: next.state, version: next.version }, ...rest]));
}

export interface BreakerWatchEvents {
  change: [change: BreakerStateChange];
}

/**
 * The changes since the last read of a circuit. The first read of a circuit with history (a kept --data-dir)
 * reports where it stands, not a guessed past.
 */
function stepsSince(before: CircuitSnapshot | undefined, now: CircuitSnapshot): Array<Step & { transitions?: number }> {
  if (before || now.version === 0) return changesBetween(before ?? { state: 'CLOSED', version: 0 }, now);
  return now.state === 'CLOSED' ? [] : [{ from: 'CLOSED', to: now.state, version: now.version }];
}

/**
 * Watches the circuit items of the breaker table (the state every instance shares): after an invocation of a
 * function that declares circuits, it reads their items and reports each state change. Reads are coalesced,
 * so a burst of invocations costs one read per circuit.
 */
export class BreakerWatch extends EventEmitter<BreakerWatchEvents> {
  private readonly known = new Map<string, CircuitReading>();
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

  /** Every circuit read so far, as its item was at the last read. */
  readings(): CircuitReading[] {
    return [...this.known.values()];
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
      // No item yet is how every circuit starts: CLOSED at version 0.
      const now: CircuitSnapshot = { state: out.Item?.st?.S ?? 'CLOSED', version: Number(out.Item?.ver?.N ?? 0) };
      const steps = stepsSince(this.known.get(key), now);
      const openUntil = out.Item?.ou?.N !== undefined ? Number(out.Item.ou.N) : undefined;
      this.known.set(key, { circuit, tableName, ...now, ...(openUntil !== undefined ? { openUntil } : {}) });
      for (const [i, step] of steps.entries()) {
        // Only the last step is the item as read: an open period ended or replaced since has no known end.
        const last = i === steps.length - 1;
        this.emit('change', { circuit, tableName, ...step, ...(last && step.to === 'OPEN' && openUntil ? { openUntil } : {}) });
      }
    } catch {
      // The store may be closing; a missed read only delays a log line.
    }
  }

  close(): void {
    this.closed = true;
  }
}
