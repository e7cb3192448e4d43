import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock/clock';
import type { QueueSpec } from '../model/specs';
import { md5Hex, MessageAttributeValue, QueuedMessage, ReceivedMessage } from './queue-message';

export type { QueuedMessage, ReceivedMessage, MessageAttributeValue } from './queue-message';

/** How a message is sent, beyond its body. */
export interface SendOptions {
  readonly messageAttributes?: Readonly<Record<string, MessageAttributeValue>>;
  /** Per-message delay; the queue's DelaySeconds when absent. */
  readonly delaySeconds?: number;
  /** FIFO queues. */
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

export interface LocalQueueEvents {
  /** A message of this queue became visible (sent, delay over, visibility timeout over). */
  available: [queueArn: string];
  /** A message was moved to the dead-letter queue after `maxReceiveCount` receives. */
  'dead-lettered': [record: { readonly queue: QueueSpec; readonly deadLetterQueue: QueueSpec; readonly message: QueuedMessage }];
}

interface StoredMessage {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, MessageAttributeValue>;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
  /** Not received before this time (delay, or in flight until its visibility timeout ends). */
  visibleAt: number;
  /** The receipt handle of the current receive; a stale handle deletes nothing. */
  receiptHandle?: string;
}

/** FIFO deduplication interval: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html */
const DEDUPLICATION_MS = 5 * 60_000;

/**
 * The app's SQS queues, in memory, with the semantics consumers depend on: a received message is invisible for
 * the queue's visibility timeout and comes back unless deleted; each receive counts (ApproximateReceiveCount),
 * and with a RedrivePolicy a message received `maxReceiveCount` times moves to the dead-letter queue on its next
 * receive; delays; FIFO queues deliver a message group in order, one batch in flight per group, and drop
 * duplicates within 5 minutes. Times are the runner's clock.
 */
export class LocalQueues extends EventEmitter<LocalQueueEvents> {
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly byArn = new Map<string, QueueSpec>();
  private readonly deduplication = new Map<string, { at: number; messageId: string }>();
  private readonly cancels = new Set<() => void>();
  private sequence = 0n;

  constructor(queues: readonly QueueSpec[], private readonly clock: Clock) {
    super();
    for (const q of queues) {
      this.byArn.set(q.arn, q);
      this.messages.set(q.arn, []);
    }
  }

  /** Every queue of the app. */
  get all(): QueueSpec[] {
    return [...this.byArn.values()];
  }

  /** The queue with this ARN, if the app has it. */
  find(arn: string): QueueSpec | undefined {
    return this.byArn.get(arn);
  }

  /** The queue by ARN, URL (AWS's or the local endpoint's), name, logical id or display name. */
  lookup(queue: string): QueueSpec | undefined {
    const name = /^https?:\/\//.test(queue) ? queue.replace(/\/+$/, '').split('/').pop() : undefined;
    return this.byArn.get(queue) ?? this.all.find((q) => q.url === queue || q.name === queue || q.name === name || q.logicalId === queue || q.displayName === queue);
  }

  /**
   * Sends a message; `attributes` become String message attributes. Returns the message (for a FIFO duplicate,
   * the one already sent), or undefined when the app has no such queue.
   */
  send(arn: string, body: string, attributes: Record<string, string> = {}, options: SendOptions = {}): QueuedMessage | undefined {
    const spec = this.byArn.get(arn);
    const list = this.messages.get(arn);
    if (!spec || !list) return undefined;
    const now = this.clock.now();
    const deduplicationId = spec.fifo ? options.deduplicationId ?? (spec.contentBasedDeduplication ? md5Hex(body) : undefined) : undefined;
    if (deduplicationId !== undefined) {
      const key = `${arn} ${deduplicationId}`;
      const seen = this.deduplication.get(key);
      const original = seen && now - seen.at < DEDUPLICATION_MS ? list.find((m) => m.messageId === seen.messageId) : undefined;
      if (original) return snapshot(original);
      this.deduplication.set(key, { at: now, messageId: '' });
    }
    const messageAttributes: Record<string, MessageAttributeValue> = { ...options.messageAttributes };
    for (const [name, value] of Object.entries(attributes)) messageAttributes[name] = { DataType: 'String', StringValue: value };
    const delay = spec.fifo ? spec.delaySeconds : options.delaySeconds ?? spec.delaySeconds;
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      attributes: stringAttributes(messageAttributes),
      messageAttributes,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + delay * 1000,
      ...(spec.fifo ? { groupId: options.groupId ?? 'default', sequenceNumber: String(++this.sequence).padStart(20, '1') } : {}),
      ...(deduplicationId !== undefined ? { deduplicationId } : {}),
    };
    if (deduplicationId !== undefined) this.deduplication.set(`${arn} ${deduplicationId}`, { at: now, messageId: message.messageId });
    list.push(message);
    this.announce(arn, message.visibleAt);
    return snapshot(message);
  }

  /**
   * Receives up to `max` visible messages and makes them invisible for `visibilityTimeoutSeconds` (the queue's
   * when absent). A message already received `maxReceiveCount` times moves to the dead-letter queue instead.
   */
  receive(arn: string, max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    const spec = this.byArn.get(arn);
    const list = this.messages.get(arn);
    if (!spec || !list) return [];
    const now = this.clock.now();
    const timeout = (visibilityTimeoutSeconds ?? spec.visibilityTimeoutSeconds) * 1000;
    // FIFO: a group with a message in flight waits until that message is deleted or visible again.
    const busyGroups = new Set(list.filter((m) => m.visibleAt > now && m.receiveCount > 0 && m.groupId).map((m) => m.groupId!));
    const received: ReceivedMessage[] = [];
    for (const message of [...list]) {
      if (received.length >= max) break;
      if (message.visibleAt > now || (message.groupId && busyGroups.has(message.groupId))) continue;
      if (spec.redrive && message.receiveCount >= spec.redrive.maxReceiveCount && this.moveToDeadLetters(spec, message)) continue;
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      message.visibleAt = now + timeout;
      this.announce(arn, message.visibleAt);
      received.push({ message: snapshot(message), receiptHandle: message.receiptHandle });
    }
    return received;
  }

  /** Deletes a received message by its receipt handle; false when the handle is not the message's latest. */
  delete(arn: string, receiptHandle: string): boolean {
    const list = this.messages.get(arn);
    const index = list?.findIndex((m) => m.receiptHandle === receiptHandle) ?? -1;
    if (!list || index < 0) return false;
    const [gone] = list.splice(index, 1);
    // The rest of a FIFO group may go now.
    if (gone.groupId) this.announce(arn, this.clock.now());
    return true;
  }

  /** Makes a received message visible again after `seconds` (0: now), as ChangeMessageVisibility does. */
  changeVisibility(arn: string, receiptHandle: string, seconds: number): boolean {
    const message = this.messages.get(arn)?.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return false;
    message.visibleAt = this.clock.now() + seconds * 1000;
    this.announce(arn, message.visibleAt);
    return true;
  }

  /** Counts SQS reports in GetQueueAttributes: visible, in flight, delayed. */
  depth(arn: string): { visible: number; inFlight: number; delayed: number } {
    const now = this.clock.now();
    const list = this.messages.get(arn) ?? [];
    const waiting = list.filter((m) => m.visibleAt > now);
    return { visible: list.length - waiting.length, inFlight: waiting.filter((m) => m.receiveCount > 0).length, delayed: waiting.filter((m) => m.receiveCount === 0).length };
  }

  /** Messages of a queue (visible and in flight), found by ARN, URL, logical id, name or display name. */
  list(queue: string): readonly QueuedMessage[] {
    const spec = this.lookup(queue);
    if (!spec) throw new Error(`LocalQueues: no queue ${JSON.stringify(queue)}; the app has ${this.all.map((q) => q.displayName).join(', ') || 'none'}`);
    return (this.messages.get(spec.arn) ?? []).map(snapshot);
  }

  /** Message counts per queue display name (queues with messages only). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [arn, list] of this.messages) if (list.length > 0) out[this.byArn.get(arn)!.displayName] = list.length;
    return out;
  }

  close(): void {
    this.cancels.forEach((c) => c());
    this.cancels.clear();
  }

  private moveToDeadLetters(spec: QueueSpec, message: StoredMessage): boolean {
    const target = this.byArn.get(spec.redrive!.deadLetterTargetArn);
    const from = this.messages.get(spec.arn)!;
    if (!target) return false;
    from.splice(from.indexOf(message), 1);
    // The message keeps its id, body, attributes and receive count, and learns where it came from.
    const moved: StoredMessage = { ...message, visibleAt: this.clock.now(), deadLetterSourceArn: spec.arn };
    delete moved.receiptHandle;
    this.messages.get(target.arn)!.push(moved);
    this.emit('dead-lettered', { queue: spec, deadLetterQueue: target, message: snapshot(moved) });
    this.announce(target.arn, moved.visibleAt);
    return true;
  }

  /** Tells listeners a message of the queue is (or will be, at `at`) visible. */
  private announce(arn: string, at: number): void {
    if (at <= this.clock.now()) {
      this.emit('available', arn);
      return;
    }
    const cancel = this.clock.at(at, () => {
      this.cancels.delete(cancel);
      this.emit('available', arn);
    });
    this.cancels.add(cancel);
  }
}

function stringAttributes(attributes: Record<string, MessageAttributeValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) if (value.StringValue !== undefined) out[name] = value.StringValue;
  return out;
}

function snapshot(m: StoredMessage): QueuedMessage {
  return {
    messageId: m.messageId, body: m.body, attributes: { ...m.attributes }, messageAttributes: { ...m.messageAttributes }, sentAt: m.sentAt, receiveCount: m.receiveCount,
    ...(m.firstReceivedAt !== undefined ? { firstReceivedAt: m.firstReceivedAt } : {}),
    ...(m.groupId ? { groupId: m.groupId } : {}),
    ...(m.deduplicationId ? { deduplicationId: m.deduplicationId } : {}),
    ...(m.sequenceNumber ? { sequenceNumber: m.sequenceNumber } : {}),
    ...(m.deadLetterSourceArn ? { deadLetterSourceArn: m.deadLetterSourceArn } : {}),
  };
}
