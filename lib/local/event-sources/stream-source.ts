import type { EventSourceMappingSpec } from '../model/specs';
import { STREAM_RETENTION_MS, StreamRecord, TableStreams } from '../streams/table-streams';
import { passesFilters } from './filter-criteria';
import { NextTurn } from './next-turn';
import { batchItemFailures, mappingFunction, SourceContext } from './source-context';

/** A run of records to deliver, and where the mapping's position moves once it is done. */
interface Work {
  records: StreamRecord[];
  /** Stream index after which this work's records (and those filtered out around them) are done. */
  end: number;
  retries: number;
  invocations: number;
}

/** The one shard of a local table stream. */
const SHARD_ID = 'shardId-00000000000000000001-local';

/**
 * A DynamoDB stream event source mapping, shard-ordered: one batch at a time, from the stream's start (the
 * stream is as old as the runner, so LATEST and TRIM_HORIZON read the same). A failed batch is retried with
 * backoff on the runner's clock (1 s doubling up to 1 min) until MaximumRetryAttempts or MaximumRecordAgeInSeconds
 * (else the 24-hour retention) runs out; then the on-failure destination gets the batch's description and the
 * mapping moves on. BisectBatchOnFunctionError splits a failed batch in two, halves taking the retry count along
 * (the split itself is one); a partial batch response (ReportBatchItemFailures) checkpoints before the lowest
 * failed sequence number and retries from there.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html, https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export class StreamEventSource {
  private position: number;
  private readonly work: Work[] = [];
  private busy = false;
  private waiting: (() => void) | undefined;
  private windowOpenedAt: number | undefined;
  private readonly nextPump = new NextTurn(() => this.pump(), (work) => this.ctx.track(work));
  private readonly missing = { said: false };
  private readonly tableName: string;

  constructor(readonly spec: EventSourceMappingSpec, private readonly streams: TableStreams, private readonly ctx: SourceContext) {
    this.position = 0;
    this.tableName = spec.eventSourceArn.split(':table/')[1]?.split('/stream/')[0] ?? spec.eventSourceArn;
  }

  /** Looks for work once the current turn is over (see NextTurn). */
  wake(): void {
    if (this.spec.enabled) this.nextPump.request();
  }

  close(): void {
    this.waiting?.();
  }

  private pump(): void {
    if (this.busy || this.waiting) return;
    if (this.work.length === 0 && !this.takeBatch()) return;
    const fn = mappingFunction(this.spec, this.ctx, this.missing);
    if (!fn) return;
    const item = this.work[0];
    this.busy = true;
    item.invocations++;
    const event = { Records: item.records.map((r) => r.record) };
    this.ctx.track(this.ctx.functions.invoke(fn, event).then((result) => {
      this.ctx.functions.report({ trigger: `stream ${this.tableName}`, function: fn.spec, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), result });
      this.busy = false;
      this.settle(item, result.error ? undefined : result.payload, result.error?.errorType, fn.spec.arn + (fn.qualifier ? `:${fn.qualifier}` : ''), result.facts.requestId);
    }));
  }

  /** Takes the next batch off the stream (filtered); false when there is none (yet: the batching window). */
  private takeBatch(): boolean {
    const pending = this.streams.from(this.spec.eventSourceArn, this.position);
    if (pending.length === 0) return false;
    const windowMs = this.spec.maximumBatchingWindowSeconds * 1000;
    if (pending.length < this.spec.batchSize && windowMs > 0) {
      const now = this.ctx.clock.now();
      this.windowOpenedAt ??= now;
      if (now < this.windowOpenedAt + windowMs) {
        this.wait(this.windowOpenedAt + windowMs - now);
        return false;
      }
    }
    this.windowOpenedAt = undefined;
    const taken = pending.slice(0, this.spec.batchSize);
    const end = taken[taken.length - 1].index + 1;
    const matching = taken.filter((r) => passesFilters(this.spec.filters, r.record, 'dynamodb-stream'));
    if (matching.length === 0) {
      this.position = end;
      return this.takeBatch();
    }
    this.work.push({ records: matching, end, retries: 0, invocations: 0 });
    return true;
  }

  private settle(item: Work, payload: unknown, errorType: string | undefined, functionArn: string, requestId: string): void {
    const failedIds = errorType ? undefined : this.spec.reportBatchItemFailures ? batchItemFailures(payload, item.records.map((r) => r.sequenceNumber)) : [];
    if (failedIds && failedIds.length === 0) return this.done(item);
    const what = errorType ? `failed (${errorType})` : failedIds ? `reported ${failedIds.length} failure(s)` : 'answered a partial batch response naming a record not in the batch';
    if (failedIds && failedIds.length > 0) {
      // Records before the lowest failed sequence number are done; the retry starts there.
      const first = item.records.findIndex((r) => failedIds.includes(r.sequenceNumber));
      if (first > 0) this.position = item.records[first].index;
      item.records = item.records.slice(first);
    }
    item.retries++;
    if (this.exhausted(item)) {
      this.toOnFailure(item, functionArn, requestId, what);
      return this.done(item);
    }
    if (errorType && this.spec.bisectBatchOnFunctionError && item.records.length > 1) {
      const half = Math.ceil(item.records.length / 2);
      const first = item.records.slice(0, half);
      this.work.splice(0, 1,
        { records: first, end: first[first.length - 1].index + 1, retries: item.retries, invocations: item.invocations },
        { records: item.records.slice(half), end: item.end, retries: item.retries, invocations: item.invocations });
      this.ctx.log(`stream ${this.tableName} -> ${this.spec.displayName}: batch of ${item.records.length} ${what}; split into ${half} + ${item.records.length - half}`);
      return this.wake();
    }
    const delay = Math.min(60_000, 1000 * 2 ** (item.retries - 1));
    this.ctx.log(`stream ${this.tableName} -> ${this.spec.displayName}: batch of ${item.records.length} ${what}; retry ${item.retries} in ${delay / 1000} s`);
    this.wait(delay);
  }

  private exhausted(item: Work): boolean {
    const age = this.ctx.clock.now() - item.records[0].arrivedAt;
    const maxAge = this.spec.maximumRecordAgeSeconds >= 0 ? this.spec.maximumRecordAgeSeconds * 1000 : STREAM_RETENTION_MS;
    return (this.spec.maximumRetryAttempts >= 0 && item.retries > this.spec.maximumRetryAttempts) || age >= maxAge;
  }

  private done(item: Work): void {
    this.work.shift();
    this.position = Math.max(this.position, item.end);
    this.wake();
  }

  private wait(ms: number): void {
    this.waiting = this.ctx.clock.at(this.ctx.clock.now() + ms, () => {
      this.waiting = undefined;
      this.wake();
    });
  }

  /**
   * The on-failure destination's record for discarded stream records:
   * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
   */
  private toOnFailure(item: Work, functionArn: string, requestId: string, what: string): void {
    const first = item.records[0];
    const last = item.records[item.records.length - 1];
    const retriesOut = this.spec.maximumRetryAttempts >= 0 && item.retries > this.spec.maximumRetryAttempts;
    const record = {
      requestContext: { requestId, functionArn, condition: retriesOut ? 'RetryAttemptsExhausted' : 'RecordAgeExceeded', approximateInvokeCount: item.invocations },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date(this.ctx.clock.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: SHARD_ID,
        startSequenceNumber: first.sequenceNumber,
        endSequenceNumber: last.sequenceNumber,
        approximateArrivalOfFirstRecord: new Date(first.arrivedAt).toISOString(),
        approximateArrivalOfLastRecord: new Date(last.arrivedAt).toISOString(),
        batchSize: item.records.length,
        streamArn: this.spec.eventSourceArn,
      },
    };
    const kept = this.spec.onFailureArn ? this.ctx.deliver(this.spec.onFailureArn, JSON.stringify(record)) : false;
    const where = kept ? `-> on-failure destination ${this.spec.onFailureArn}` : this.spec.onFailureArn ? `; on-failure destination ${this.spec.onFailureArn} is not part of the app (dropped)` : '; no on-failure destination, skipped';
    this.ctx.log(`stream ${this.tableName} -> ${this.spec.displayName}: batch of ${item.records.length} ${what}, ${record.requestContext.condition} after ${item.invocations} invocation(s) ${where} (records ${first.sequenceNumber}..${last.sequenceNumber})`);
  }
}
