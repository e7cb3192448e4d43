import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock/clock';
import type { TableSpec } from '../model/specs';

/** A DynamoDB item or key in DynamoDB's JSON (`{ "id": { "S": "a" } }`). */
export type AttributeMap = Record<string, unknown>;

/** One stream record as Lambda hands it over (a `DynamoDBRecord` of @types/aws-lambda), and when it arrived. */
export interface StreamRecord {
  /** Position in its stream, from 0. */
  readonly index: number;
  readonly arrivedAt: number;
  readonly sequenceNumber: string;
  readonly record: Record<string, unknown>;
}

export interface TableStreamEvents {
  /** Records were added to the stream with this ARN. */
  appended: [streamArn: string];
}

/** How long a stream keeps a record: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html */
export const STREAM_RETENTION_MS = 24 * 3600_000;

/**
 * The streams of the tables with a StreamSpecification: an ordered log of item changes per table (one shard),
 * each change shaped by the table's StreamViewType. Changes are recorded by the capture proxy in front of
 * dynalite (`capture-proxy.ts`), which knows each write's old and new item.
 */
export class TableStreams extends EventEmitter<TableStreamEvents> {
  private readonly logs = new Map<string, StreamRecord[]>();
  private readonly byName = new Map<string, TableSpec>();
  private sequence = 100000000000000000000n;

  constructor(tables: readonly TableSpec[], private readonly clock: Clock, private readonly region: string) {
    super();
    for (const t of tables.filter((t) => t.streamViewType && t.streamArn)) {
      this.byName.set(t.tableName, t);
      this.logs.set(t.streamArn!, []);
    }
  }

  /** Tables with a stream, by name. */
  get tables(): ReadonlyMap<string, TableSpec> {
    return this.byName;
  }

  /** The key attribute names of a streamed table (partition key, then sort key). */
  keyNames(tableName: string): string[] {
    const schema = (this.byName.get(tableName)?.createTable.KeySchema ?? []) as Array<{ AttributeName: string; KeyType: string }>;
    return [...schema].sort((a) => (a.KeyType === 'HASH' ? -1 : 1)).map((k) => k.AttributeName);
  }

  /** Records a change of one item; nothing when the item did not change (DynamoDB writes no record then). */
  record(tableName: string, keys: AttributeMap, oldImage: AttributeMap | undefined, newImage: AttributeMap | undefined): void {
    const table = this.byName.get(tableName);
    if (!table || (!oldImage && !newImage) || canonical(oldImage) === canonical(newImage)) return;
    const view = table.streamViewType!;
    const now = this.clock.now();
    const sequenceNumber = String(++this.sequence);
    const dynamodb: Record<string, unknown> = {
      ApproximateCreationDateTime: Math.floor(now / 1000),
      Keys: keys,
      ...(newImage && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { NewImage: newImage } : {}),
      ...(oldImage && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { OldImage: oldImage } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: 0,
      StreamViewType: view,
    };
    dynamodb.SizeBytes = Buffer.byteLength(JSON.stringify([dynamodb.Keys, dynamodb.NewImage ?? null, dynamodb.OldImage ?? null]));
    const log = this.logs.get(table.streamArn!)!;
    log.push({
      index: log.length,
      arrivedAt: now,
      sequenceNumber,
      record: {
        eventID: randomUUID().replace(/-/g, ''),
        eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: this.region,
        dynamodb,
        eventSourceARN: table.streamArn,
      },
    });
    this.emit('appended', table.streamArn!);
  }

  /** The stream's records from `index` on. */
  from(streamArn: string, index: number): readonly StreamRecord[] {
    return (this.logs.get(streamArn) ?? []).slice(index);
  }

  /** Number of records the stream has had. */
  length(streamArn: string): number {
    return this.logs.get(streamArn)?.length ?? 0;
  }

  has(streamArn: string): boolean {
    return this.logs.has(streamArn);
  }
}

/** JSON with sorted keys, to compare items whatever order their attributes came in. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
