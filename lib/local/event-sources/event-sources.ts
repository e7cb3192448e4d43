import type { AppModel } from '../model/specs';
import type { LocalQueues } from '../queues/local-queues';
import type { TableStreams } from '../streams/table-streams';
import { validateFilters } from './filter-criteria';
import { clockTime, SourceContext } from './source-context';
import { SqsEventSource } from './sqs-source';
import { StreamEventSource } from './stream-source';

/**
 * Problems that stop the start: a mapping on something the runner does not poll (Kinesis, Kafka, MQ), on a
 * queue or table stream the app does not have, or with a filter the runner cannot evaluate.
 */
export function eventSourceProblems(model: AppModel): string[] {
  const problems: string[] = [];
  const streams = new Set(model.tables.map((t) => t.streamArn).filter(Boolean));
  for (const m of model.eventSourceMappings) {
    const where = `event source mapping ${m.displayName}`;
    if (m.kind === 'other') problems.push(`${where}: ${m.eventSourceArn} is not an SQS queue or DynamoDB stream (the event sources the runner polls)`);
    if (m.kind === 'sqs' && !model.queues.some((q) => q.arn === m.eventSourceArn)) problems.push(`${where}: the queue ${m.eventSourceArn} is not part of the app`);
    if (m.kind === 'dynamodb-stream' && !streams.has(m.eventSourceArn)) problems.push(`${where}: ${m.eventSourceArn} is not the stream of a table of the app with a StreamSpecification`);
    try {
      validateFilters(m.filters, where);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return problems;
}

/** The app's event source mappings, polling its queues and table streams into its functions. */
export class EventSources {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly sqs: SqsEventSource[] = [];
  private readonly streams: StreamEventSource[] = [];

  constructor(model: AppModel, queues: LocalQueues, tableStreams: TableStreams, context: Omit<SourceContext, 'track' | 'log'> & { log(line: string): void }) {
    const ctx: SourceContext = {
      ...context,
      track: (work) => {
        this.pending.add(work);
        void work.finally(() => this.pending.delete(work)).catch(() => undefined);
      },
      log: (text) => context.log(`${clockTime(context.clock)} ${text}`),
    };
    for (const spec of model.eventSourceMappings) {
      const queue = spec.kind === 'sqs' ? queues.find(spec.eventSourceArn) : undefined;
      if (queue) this.sqs.push(new SqsEventSource(spec, queue, queues, ctx));
      if (spec.kind === 'dynamodb-stream' && tableStreams.has(spec.eventSourceArn)) this.streams.push(new StreamEventSource(spec, tableStreams, ctx));
    }
    queues.on('available', (arn) => this.sqs.filter((s) => s.spec.eventSourceArn === arn).forEach((s) => s.wake()));
    queues.on('dead-lettered', (d) => ctx.log(`sqs ${d.queue.displayName}: message ${d.message.messageId} received ${d.message.receiveCount} time(s) (maxReceiveCount ${d.queue.redrive!.maxReceiveCount}) -> dead-letter queue ${d.deadLetterQueue.displayName}`));
    tableStreams.on('appended', (arn) => this.streams.filter((s) => s.spec.eventSourceArn === arn).forEach((s) => s.wake()));
  }

  /** Starts polling: messages already in the queues (a `--data-dir` run keeps none) go out now. */
  start(): void {
    this.sqs.forEach((s) => s.wake());
  }

  /** True while a poll or a batch is in flight. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves once the polls and batches started so far are done. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    [...this.sqs, ...this.streams].forEach((s) => s.close());
  }
}
