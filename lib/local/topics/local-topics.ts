import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock';
import { matchesPattern } from '../events/event-pattern';
import type { LocalFunctions } from '../functions/local-functions';
import type { SubscriptionSpec, TopicSpec } from '../model/specs';
import type { LocalQueues } from '../queues/local-queues';

/** An SNS message attribute as a subscriber sees it. */
export interface TopicMessageAttribute {
  readonly Type: string;
  readonly Value: string;
}

/**
 * The app's SNS topics: a message published (by an EventBridge rule target, a Lambda destination or the runner)
 * goes to each subscription whose filter policy matches it: `lambda` subscriptions are invoked asynchronously
 * with an SNSEvent, `sqs` subscriptions get the JSON notification (the message alone with RawMessageDelivery).
 * Other protocols (email, http, sms) are not delivered locally. Filter policies use the same matchers as event
 * patterns, on the message attributes (String values as strings, Number values as numbers) or on the JSON body.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
export class LocalTopics {
  private readonly byArn = new Map<string, TopicSpec>();
  private readonly subscriptionArns = new Map<SubscriptionSpec, string>();

  constructor(topics: readonly TopicSpec[], private readonly functions: LocalFunctions, private readonly queues: LocalQueues, private readonly clock: Clock) {
    for (const t of topics) {
      this.byArn.set(t.arn, t);
      for (const s of t.subscriptions) this.subscriptionArns.set(s, `${t.arn}:${randomUUID()}`);
    }
  }

  find(arn: string): TopicSpec | undefined {
    return this.byArn.get(arn);
  }

  /** Publishes a message; returns its id, or undefined when the app has no such topic. */
  publish(topicArn: string, message: string, options: { subject?: string; messageAttributes?: Record<string, TopicMessageAttribute> } = {}): string | undefined {
    const topic = this.byArn.get(topicArn);
    if (!topic) return undefined;
    const messageId = randomUUID();
    const timestamp = new Date(this.clock.now()).toISOString();
    const attributes = options.messageAttributes ?? {};
    const notification = {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topic.arn,
      ...(options.subject ? { Subject: options.subject } : {}),
      Message: message,
      Timestamp: timestamp,
      SignatureVersion: '1',
      Signature: 'LOCAL',
      SigningCertURL: 'https://sns.local/SimpleNotificationService.pem',
      UnsubscribeURL: `https://sns.local/?Action=Unsubscribe&TopicArn=${topic.arn}`,
      MessageAttributes: attributes,
    };
    for (const subscription of topic.subscriptions) {
      if (!this.accepts(subscription, message, attributes)) continue;
      const subscriptionArn = this.subscriptionArns.get(subscription)!;
      if (subscription.protocol === 'lambda') {
        const { SigningCertURL, UnsubscribeURL, ...sns } = notification;
        this.functions.invokeAsync(subscription.endpoint, {
          Records: [{ EventVersion: '1.0', EventSubscriptionArn: subscriptionArn, EventSource: 'aws:sns', Sns: { ...sns, Subject: options.subject ?? null, SigningCertUrl: SigningCertURL, UnsubscribeUrl: UnsubscribeURL } }],
        }, `sns ${topic.displayName}`);
      } else if (subscription.protocol === 'sqs') {
        const body = subscription.rawMessageDelivery ? message : JSON.stringify(notification);
        const messageAttributes = subscription.rawMessageDelivery ? Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: v.Type, StringValue: v.Value }])) : {};
        this.queues.send(subscription.endpoint, body, {}, { messageAttributes });
      }
    }
    return messageId;
  }

  private accepts(subscription: SubscriptionSpec, message: string, attributes: Record<string, TopicMessageAttribute>): boolean {
    if (!subscription.filterPolicy) return true;
    if (subscription.filterPolicyScope === 'MessageBody') {
      try {
        return matchesPattern(subscription.filterPolicy, JSON.parse(message));
      } catch {
        return false;
      }
    }
    const values = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.Type === 'Number' ? Number(v.Value) : v.Type === 'String.Array' ? JSON.parse(v.Value) as unknown : v.Value]));
    return matchesPattern(subscription.filterPolicy, values);
  }
}
