import type { EventSourceMappingSpec, QueueSpec } from '../model/specs';
import type { LocalQueues, ReceivedMessage } from '../queues/local-queues';
import { sqsRecord } from '../queues/queue-message';
import { passesFilters } from './filter-criteria';
import { NextTurn } from './next-turn';
import { batchItemFailures, mappingFunction, SourceContext } from './source-context';

/**
 * Lambda's concurrent batches for an SQS mapping without ScalingConfig: Lambda scales its pollers up to 1,250;
 * locally the function's own concurrency (reserved concurrency, throttles) is the limit that matters.
 */
const DEFAULT_MAXIMUM_CONCURRENCY = 1250;

/**
 * An SQS event source mapping: receives batches of up to BatchSize messages (waiting up to
 * MaximumBatchingWindowInSeconds for a full batch), invokes the function with an SQSEvent, deletes the messages
 * it processed and leaves the rest to come back after the queue's visibility timeout (and, past the redrive
 * policy's maxReceiveCount, to move to the dead-letter queue). At most ScalingConfig.MaximumConcurrency batches
 * run at once. Messages that no filter matches are deleted, as Lambda does.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export class SqsEventSource {
  private inFlight = 0;
  private windowOpenedAt: number | undefined;
  private windowTimer: (() => void) | undefined;
  private readonly nextPump = new NextTurn(() => this.pump(), (work) => this.ctx.track(work));
  private readonly missing = { said: false };

  constructor(readonly spec: EventSourceMappingSpec, private readonly queue: QueueSpec, private readonly queues: LocalQueues, private readonly ctx: SourceContext) {}

  /** Looks for work once the current turn is over (see NextTurn). */
  wake(): void {
    if (this.spec.enabled) this.nextPump.request();
  }

  close(): void {
    this.windowTimer?.();
  }

  private pump(): void {
    const limit = this.spec.maximumConcurrency ?? DEFAULT_MAXIMUM_CONCURRENCY;
    const windowMs = this.spec.maximumBatchingWindowSeconds * 1000;
    while (this.inFlight < limit) {
      const visible = this.queues.depth(this.queue.arn).visible;
      if (visible === 0) return;
      if (visible < this.spec.batchSize && windowMs > 0) {
        const now = this.ctx.clock.now();
        this.windowOpenedAt ??= now;
        if (now < this.windowOpenedAt + windowMs) {
          this.windowTimer ??= this.ctx.clock.at(this.windowOpenedAt + windowMs, () => {
            this.windowTimer = undefined;
            this.wake();
          });
          return;
        }
      }
      this.windowOpenedAt = undefined;
      this.windowTimer?.();
      this.windowTimer = undefined;
      const fn = mappingFunction(this.spec, this.ctx, this.missing);
      if (!fn) return;
      const received = this.queues.receive(this.queue.arn, this.spec.batchSize);
      if (received.length === 0) return;
      const { region, account } = this.ctx.model;
      const records = received.map((r) => ({ received: r, record: sqsRecord(r, this.queue.arn, region, account) }));
      const matching = records.filter((r) => passesFilters(this.spec.filters, r.record, 'sqs'));
      for (const dropped of records.filter((r) => !matching.includes(r))) this.queues.delete(this.queue.arn, dropped.received.receiptHandle);
      if (matching.length === 0) continue;
      this.inFlight++;
      this.ctx.track(this.run(matching).finally(() => {
        this.inFlight--;
        this.wake();
      }));
    }
  }

  private async run(batch: Array<{ received: ReceivedMessage; record: Record<string, unknown> }>): Promise<void> {
    const fn = mappingFunction(this.spec, this.ctx, this.missing)!;
    const result = await this.ctx.functions.invoke(fn, { Records: batch.map((b) => b.record) });
    this.ctx.functions.report({ trigger: `sqs ${this.queue.displayName}`, function: fn.spec, ...(fn.qualifier ? { qualifier: fn.qualifier } : {}), result });
    const ids = batch.map((b) => b.received.message.messageId);
    const back = `back after the visibility timeout (${this.queue.visibilityTimeoutSeconds} s)`;
    if (result.error) {
      this.ctx.log(`sqs ${this.queue.displayName} -> ${fn.spec.displayName}: batch of ${batch.length} failed (${result.facts.throttled ? 'throttled' : result.error.errorType}); ${batch.length} message(s) ${back}`);
      return;
    }
    const failed = this.spec.reportBatchItemFailures ? batchItemFailures(result.payload, ids) : [];
    if (failed === undefined) {
      this.ctx.log(`sqs ${this.queue.displayName} -> ${fn.spec.displayName}: the partial batch response names an item not in the batch, so the whole batch failed; ${batch.length} message(s) ${back}`);
      return;
    }
    for (const b of batch) if (!failed.includes(b.received.message.messageId)) this.queues.delete(this.queue.arn, b.received.receiptHandle);
    if (failed.length > 0) this.ctx.log(`sqs ${this.queue.displayName} -> ${fn.spec.displayName}: ${failed.length} of ${batch.length} message(s) reported failed, ${back}`);
  }
}
