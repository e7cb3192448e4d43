import { randomUUID } from 'node:crypto';
import type { QueueSpec } from '../model/specs';

/** A message as a dead-letter queue or failure destination receives it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentAt: number;
}

/**
 * The app's SQS queues, kept in memory. Locally they are where failed events end up (dead-letter queues,
 * on-failure destinations), so a user can see what would have been kept rather than lost.
 */
export class LocalQueues {
  private readonly messages = new Map<string, QueuedMessage[]>();
  private readonly byArn = new Map<string, QueueSpec>();

  constructor(queues: readonly QueueSpec[], private readonly now: () => number) {
    for (const q of queues) {
      this.byArn.set(q.arn, q);
      this.messages.set(q.arn, []);
    }
  }

  /** The queue with this ARN, if the app has it. */
  find(arn: string): QueueSpec | undefined {
    return this.byArn.get(arn);
  }

  send(arn: string, body: string, attributes: Record<string, string> = {}): QueuedMessage | undefined {
    const list = this.messages.get(arn);
    if (!list) return undefined;
    const message = { messageId: randomUUID(), body, attributes, sentAt: this.now() };
    list.push(message);
    return message;
  }

  /** Messages of a queue, found by ARN, logical id or display name. */
  list(queue: string): readonly QueuedMessage[] {
    const spec = [...this.byArn.values()].find((q) => q.arn === queue || q.logicalId === queue || q.displayName === queue || q.name === queue);
    if (!spec) throw new Error(`LocalQueues: no queue ${JSON.stringify(queue)}; the app has ${[...this.byArn.values()].map((q) => q.displayName).join(', ') || 'none'}`);
    return this.messages.get(spec.arn) ?? [];
  }

  /** Message counts per queue display name (queues with messages only). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [arn, list] of this.messages) if (list.length > 0) out[this.byArn.get(arn)!.displayName] = list.length;
    return out;
  }
}
