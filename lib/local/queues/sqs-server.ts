import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listen } from '../http/listen';
import type { QueueSpec } from '../model/specs';
import type { LocalQueues, SendOptions } from './local-queues';
import { md5Hex, md5OfMessageAttributes, MessageAttributeValue, systemAttributes } from './queue-message';

type Body = Record<string, unknown>;

/** An SQS error: its JSON `__type` shape name, the query-compatible code, and the message. */
class SqsError extends Error {
  constructor(readonly shape: string, readonly code: string, message: string) {
    super(message);
  }
}

/** SQS's largest message (body and attributes): 1 MiB since August 2025. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * SQS's API over loopback HTTP in the AWS JSON 1.0 protocol that AWS SDK v3 speaks (`X-Amz-Target:
 * AmazonSQS.<Operation>`), for handlers whose SQS client reaches it through AWS_ENDPOINT_URL_SQS: SendMessage,
 * SendMessageBatch, ReceiveMessage (with long polling), DeleteMessage, DeleteMessageBatch, ChangeMessageVisibility,
 * GetQueueUrl, GetQueueAttributes, ListQueues and PurgeQueue. Queue URLs are `<endpoint>/<account>/<name>`; the
 * AWS form of a queue URL (what CloudFormation gives) is accepted too.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html
 */
export class SqsServer {
  readonly url: string;

  private constructor(private readonly server: Server, port: number, private readonly queues: LocalQueues, private readonly account: string) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(queues: LocalQueues, account: string): Promise<SqsServer> {
    let self: SqsServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res).catch((err: Error) => {
      // A request the emulation did not foresee answers like SQS's own failures, and the runner keeps running.
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: `local SQS endpoint: ${err.message}` }));
    }));
    const port = await listen(server, 0, '127.0.0.1', 'the local SQS endpoint');
    self = new SqsServer(server, port, queues, account);
    return self;
  }

  /** The URL a handler uses for this queue locally. */
  queueUrl(queue: QueueSpec): string {
    return `${this.url}/${this.account}/${queue.name}`;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const requestId = randomUUID();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId, ...headers });
      res.end(text);
    };
    const target = String(req.headers['x-amz-target'] ?? '');
    try {
      if (req.method !== 'POST' || !target.startsWith('AmazonSQS.')) {
        throw new SqsError('InvalidAction', 'InvalidAction', 'The local SQS endpoint speaks the AWS JSON protocol (POST with X-Amz-Target: AmazonSQS.<Operation>)');
      }
      let input: Body;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body;
      } catch {
        throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', 'The request body is not valid JSON');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', 'The request body must be a JSON object');
      }
      send(200, await this.operation(target.slice('AmazonSQS.'.length), input));
    } catch (err) {
      if (!(err instanceof SqsError)) throw err;
      send(400, { __type: `com.amazonaws.sqs#${err.shape}`, message: err.message }, { 'x-amzn-query-error': `${err.code};Sender` });
    }
  }

  private async operation(name: string, input: Body): Promise<unknown> {
    switch (name) {
      case 'GetQueueUrl': {
        const queue = this.queues.all.find((q) => q.name === input.QueueName);
        if (!queue) throw notFound(String(input.QueueName));
        return { QueueUrl: this.queueUrl(queue) };
      }
      case 'ListQueues': {
        const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
        return { QueueUrls: this.queues.all.filter((q) => q.name.startsWith(prefix)).map((q) => this.queueUrl(q)) };
      }
      case 'SendMessage': {
        const queue = this.queueOf(input);
        return this.sendOne(queue, input);
      }
      case 'SendMessageBatch': {
        const queue = this.queueOf(input);
        const entries = checkBatch(input.Entries);
        const Successful: unknown[] = [];
        const Failed: unknown[] = [];
        for (const entry of entries) {
          try {
            Successful.push({ Id: entry.Id, ...this.sendOne(queue, entry) });
          } catch (err) {
            if (!(err instanceof SqsError)) throw err;
            Failed.push({ Id: entry.Id, SenderFault: true, Code: err.code, Message: err.message });
          }
        }
        return { Successful, Failed };
      }
      case 'ReceiveMessage':
        return this.receive(this.queueOf(input), input);
      case 'DeleteMessage': {
        const queue = this.queueOf(input);
        if (!this.queues.delete(queue.arn, String(input.ReceiptHandle))) throw receiptInvalid(input.ReceiptHandle);
        return {};
      }
      case 'DeleteMessageBatch': {
        const queue = this.queueOf(input);
        const entries = checkBatch(input.Entries);
        const Successful: unknown[] = [];
        const Failed: unknown[] = [];
        for (const e of entries) {
          if (this.queues.delete(queue.arn, String(e.ReceiptHandle))) Successful.push({ Id: e.Id });
          else Failed.push({ Id: e.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: receiptInvalid(e.ReceiptHandle).message });
        }
        return { Successful, Failed };
      }
      case 'ChangeMessageVisibility': {
        const queue = this.queueOf(input);
        if (!this.queues.changeVisibility(queue.arn, String(input.ReceiptHandle), Number(input.VisibilityTimeout ?? 0))) throw receiptInvalid(input.ReceiptHandle);
        return {};
      }
      case 'GetQueueAttributes':
        return { Attributes: this.attributes(this.queueOf(input), input.AttributeNames) };
      case 'PurgeQueue': {
        const queue = this.queueOf(input);
        for (const m of this.queues.receive(queue.arn, Number.MAX_SAFE_INTEGER, 0)) this.queues.delete(queue.arn, m.receiptHandle);
        return {};
      }
      default:
        throw new SqsError('InvalidAction', 'InvalidAction', `The local SQS endpoint does not emulate ${name}; it has SendMessage, SendMessageBatch, ReceiveMessage, DeleteMessage, DeleteMessageBatch, ChangeMessageVisibility, GetQueueUrl, GetQueueAttributes, ListQueues, PurgeQueue`);
    }
  }

  private queueOf(input: Body): QueueSpec {
    const url = String(input.QueueUrl ?? '');
    const queue = url ? this.queues.lookup(url) : undefined;
    if (!queue) throw notFound(url);
    return queue;
  }

  private sendOne(queue: QueueSpec, input: Body): Record<string, unknown> {
    const body = input.MessageBody;
    if (typeof body !== 'string' || body.length === 0) throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', 'MessageBody must be a non-empty string');
    const messageAttributes = (input.MessageAttributes ?? {}) as Record<string, MessageAttributeValue>;
    const size = Buffer.byteLength(body) + Object.entries(messageAttributes).reduce((n, [k, v]) => n + k.length + v.DataType.length + (v.StringValue?.length ?? 0) + (v.BinaryValue ? Buffer.from(v.BinaryValue, 'base64').length : 0), 0);
    if (size > MAX_MESSAGE_BYTES) throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', `The message is ${size} bytes; SQS takes at most ${MAX_MESSAGE_BYTES}`);
    if (queue.fifo && typeof input.MessageGroupId !== 'string') throw new SqsError('MissingParameter', 'MissingParameter', `The request to the FIFO queue ${queue.name} must include MessageGroupId`);
    if (queue.fifo && !queue.contentBasedDeduplication && typeof input.MessageDeduplicationId !== 'string') {
      throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', `The queue ${queue.name} has no ContentBasedDeduplication: give a MessageDeduplicationId`);
    }
    if (!queue.fifo && input.DelaySeconds !== undefined && (Number(input.DelaySeconds) < 0 || Number(input.DelaySeconds) > 900)) {
      throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', `DelaySeconds must be 0 to 900, got ${String(input.DelaySeconds)}`);
    }
    const options: SendOptions = {
      messageAttributes,
      ...(input.DelaySeconds !== undefined ? { delaySeconds: Number(input.DelaySeconds) } : {}),
      ...(typeof input.MessageGroupId === 'string' ? { groupId: input.MessageGroupId } : {}),
      ...(typeof input.MessageDeduplicationId === 'string' ? { deduplicationId: input.MessageDeduplicationId } : {}),
    };
    const message = this.queues.send(queue.arn, body, {}, options)!;
    const attributesMd5 = md5OfMessageAttributes(messageAttributes);
    return {
      MessageId: message.messageId,
      MD5OfMessageBody: md5Hex(body),
      ...(attributesMd5 ? { MD5OfMessageAttributes: attributesMd5 } : {}),
      ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    };
  }

  private async receive(queue: QueueSpec, input: Body): Promise<unknown> {
    const max = Number(input.MaxNumberOfMessages ?? 1);
    if (!Number.isInteger(max) || max < 1 || max > 10) throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', `MaxNumberOfMessages must be 1 to 10, got ${String(input.MaxNumberOfMessages)}`);
    const timeout = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
    let received = this.queues.receive(queue.arn, max, timeout);
    // Long polling: wait (in real time) for a message to arrive, up to WaitTimeSeconds.
    const wait = Math.min(20, Number(input.WaitTimeSeconds ?? 0)) * 1000;
    if (received.length === 0 && wait > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.queues.off('available', onAvailable);
          resolve();
        };
        const onAvailable = (arn: string) => arn === queue.arn && done();
        const timer = setTimeout(done, wait);
        this.queues.on('available', onAvailable);
      });
      received = this.queues.receive(queue.arn, max, timeout);
    }
    const names = new Set([...asList(input.AttributeNames), ...asList(input.MessageSystemAttributeNames)]);
    const attributeNames = new Set(asList(input.MessageAttributeNames));
    if (received.length === 0) return {};
    return {
      Messages: received.map(({ message, receiptHandle }) => {
        const system = systemAttributes(message, this.account);
        const wanted = Object.fromEntries(Object.entries(system).filter(([k]) => names.has('All') || names.has(k)));
        const attributes = Object.fromEntries(Object.entries(message.messageAttributes).filter(([k]) => attributeNames.has('All') || attributeNames.has('.*') || attributeNames.has(k)));
        const attributesMd5 = md5OfMessageAttributes(attributes);
        return {
          MessageId: message.messageId,
          ReceiptHandle: receiptHandle,
          MD5OfBody: md5Hex(message.body),
          Body: message.body,
          ...(Object.keys(wanted).length ? { Attributes: wanted } : {}),
          ...(attributesMd5 ? { MessageAttributes: attributes, MD5OfMessageAttributes: attributesMd5 } : {}),
        };
      }),
    };
  }

  private attributes(queue: QueueSpec, names: unknown): Record<string, string> {
    const depth = this.queues.depth(queue.arn);
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(depth.visible),
      ApproximateNumberOfMessagesNotVisible: String(depth.inFlight),
      ApproximateNumberOfMessagesDelayed: String(depth.delayed),
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      DelaySeconds: String(queue.delaySeconds),
      MaximumMessageSize: String(MAX_MESSAGE_BYTES),
      ...(queue.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: String(queue.contentBasedDeduplication) } : {}),
      ...(queue.redrive ? { RedrivePolicy: JSON.stringify(queue.redrive) } : {}),
    };
    const wanted = new Set(asList(names));
    return Object.fromEntries(Object.entries(all).filter(([k]) => wanted.has('All') || wanted.has(k)));
  }
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function checkBatch(entries: unknown): Body[] {
  if (!Array.isArray(entries) || entries.length === 0) throw new SqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one entry in the request');
  if (entries.length > 10) throw new SqsError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `A batch holds at most 10 entries, got ${entries.length}`);
  const ids = (entries as Body[]).map((e) => String(e.Id));
  if (new Set(ids).size !== ids.length) throw new SqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'Two or more batch entries have the same Id');
  return entries as Body[];
}

function notFound(queue: string): SqsError {
  return new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', `The specified queue does not exist: ${queue || '(no QueueUrl)'}`);
}

function receiptInvalid(handle: unknown): SqsError {
  return new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The receipt handle ${JSON.stringify(handle)} is not the message's latest (or the message is gone)`);
}
