import type { Clock } from '../clock/clock';
import { EventSources } from '../event-sources/event-sources';
import type { LocalFunctions } from '../functions/local-functions';
import type { AppModel } from '../model/specs';
import { LocalQueues } from '../queues/local-queues';
import { withLocalQueueUrls } from '../queues/queue-urls';
import { SqsServer } from '../queues/sqs-server';
import { CaptureProxy } from '../streams/capture-proxy';
import { TableStreams } from '../streams/table-streams';
import { LocalTopics } from '../topics/local-topics';

/**
 * Queues, topics, table streams and the event source mappings between them and the functions, started in two
 * steps around the functions: `start` before them (the SQS endpoint, and the stream capture proxy in front of
 * dynalite when a table has a stream: the functions need their URLs), `connect` once they exist (topics deliver
 * to functions; mappings poll into them).
 */
export class LocalMessaging {
  /** Set by `connect`. */
  topics!: LocalTopics;
  /** Set by `connect`. */
  eventSources!: EventSources;

  private constructor(
    readonly queues: LocalQueues,
    readonly sqs: SqsServer,
    readonly streams: TableStreams,
    /** The endpoint functions use for DynamoDB: the capture proxy when a table has a stream, else dynalite. */
    readonly dynamoEndpoint: string,
  ) {}

  static async start(model: AppModel, clock: Clock, dynaliteEndpoint: string, cleanups: Array<() => Promise<void> | void>): Promise<LocalMessaging> {
    const queues = new LocalQueues(model.queues, clock);
    cleanups.push(() => queues.close());
    const sqs = await SqsServer.start(queues, model.account);
    cleanups.push(() => sqs.close());
    const streams = new TableStreams(model.tables, clock, model.region);
    let proxy: CaptureProxy | undefined;
    if (streams.tables.size > 0) {
      const started = await CaptureProxy.start(dynaliteEndpoint, streams);
      cleanups.push(() => started.close());
      proxy = started;
    }
    return new LocalMessaging(queues, sqs, streams, proxy?.endpoint ?? dynaliteEndpoint);
  }

  /** What every function's environment gets on top of the runner's other endpoints. */
  get environment(): Record<string, string> {
    return { AWS_ENDPOINT_URL_SQS: this.sqs.url };
  }

  /** The model the functions run from: queue URLs in their environments point at the local SQS endpoint. */
  functionModel(model: AppModel): AppModel {
    return withLocalQueueUrls(model, (q) => this.sqs.queueUrl(q));
  }

  /** Connects topics and event source mappings to the functions; `start` then begins polling. */
  connect(model: AppModel, functions: LocalFunctions, clock: Clock, log: (line: string) => void): void {
    this.topics = new LocalTopics(model.topics, functions, this.queues, clock);
    this.eventSources = new EventSources(model, this.queues, this.streams, {
      model, clock, functions, log,
      deliver: (arn, body) => this.deliver(arn, body),
    });
  }

  start(): void {
    this.eventSources.start();
  }

  /** Sends a failure record or message to a queue or topic ARN; false when the app has neither. */
  deliver(arn: string, body: string, attributes: Record<string, string> = {}): boolean {
    if (this.queues.send(arn, body, attributes)) return true;
    return this.topics?.publish(arn, body, { messageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { Type: 'String', Value: v }])) }) !== undefined;
  }

  /** True while a poll or batch is in flight. */
  get busy(): boolean {
    return this.eventSources?.busy ?? false;
  }

  settled(): Promise<void> {
    return this.eventSources?.settled() ?? Promise.resolve();
  }

  close(): void {
    this.eventSources?.close();
  }
}
