import { createHash } from 'node:crypto';

/** A message attribute as SQS's API carries it (binary values base64-encoded). */
export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

/** A message in a queue, as `LocalQueues.list` shows it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  /**
   * The message's String attributes by name: what dead-letter queues and failure destinations add
   * (`ERROR_MESSAGE`, `RULE_ARN`, `RequestID`, ...), and the String attributes of messages sent with the API.
   */
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly sentAt: number;
  /** How often the message was received (ApproximateReceiveCount). */
  readonly receiveCount: number;
  readonly firstReceivedAt?: number;
  /** FIFO queues: MessageGroupId, MessageDeduplicationId and the sequence number SQS gives the message. */
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  /** Set on a message moved here by a redrive policy: the queue it came from. */
  readonly deadLetterSourceArn?: string;
}

/** A received message and the receipt handle that deletes it or changes its visibility. */
export interface ReceivedMessage {
  readonly message: QueuedMessage;
  readonly receiptHandle: string;
}

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * MD5OfMessageAttributes as SQS computes it (the SDK checks it): for each attribute, sorted by name, the
 * name, the data type and the value, each prefixed with its 4-byte big-endian length, the value preceded by
 * a transport byte (1 string, 2 binary). https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const value = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(value.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

/** The system attributes SQS returns for a message (`AttributeNames: ['All']`) and Lambda puts in a record. */
export function systemAttributes(message: QueuedMessage, account: string): Record<string, string> {
  return {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    SenderId: `AROA${account}LOCAL`,
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
    ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
    ...(message.deadLetterSourceArn ? { DeadLetterQueueSourceArn: message.deadLetterSourceArn } : {}),
  };
}

/**
 * One SQS message as Lambda's event source mapping hands it to a function (an `SQSRecord` of @types/aws-lambda):
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event
 */
export function sqsRecord(received: ReceivedMessage, queueArn: string, region: string, account: string): Record<string, unknown> {
  const m = received.message;
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(m.messageAttributes)) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    };
  }
  const attributesMd5 = md5OfMessageAttributes(m.messageAttributes);
  return {
    messageId: m.messageId,
    receiptHandle: received.receiptHandle,
    body: m.body,
    attributes: systemAttributes(m, account),
    messageAttributes,
    md5OfBody: md5Hex(m.body),
    ...(attributesMd5 ? { md5OfMessageAttributes: attributesMd5 } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
