import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock/clock';
import type { LocalFunctions } from '../functions/local-functions';
import type { LocalQueues } from '../queues/local-queues';
import type { LocalTopics } from '../topics/local-topics';
import type { AppModel, RuleSpec, TargetSpec } from '../model/specs';
import { matchesPattern } from './event-pattern';
import { busNameOf } from '../model/event-specs';
import { targetInput } from './target-input';

/** A PutEvents entry, as the EventBridge API takes it. */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** JSON text of the detail object. */
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: string[];
  readonly Time?: string | Date;
}

export interface PutEventsResultEntry {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

/** What happened when the bus handed an event (or a scheduled call) to a target. */
export interface DeliveryRecord {
  readonly source: string;
  readonly targetArn: string;
  readonly outcome: 'delivered' | 'retry-scheduled' | 'dead-lettered' | 'dropped';
  readonly detail?: string;
}

export interface EventBusEvents {
  'event-put': [event: Record<string, unknown>, matchedRules: readonly RuleSpec[]];
  delivery: [record: DeliveryRecord];
}

/**
 * The app's event buses: matches each put event against the enabled rules of its bus and delivers it to
 * their targets. A target that cannot take the event is retried with backoff on the runner's clock within its
 * retry policy (attempts and maximum age) and then goes to its dead-letter queue, as EventBridge does.
 */
export class LocalEventBuses extends EventEmitter<EventBusEvents> {
  private readonly cancels = new Set<() => void>();

  constructor(
    private readonly model: AppModel,
    private readonly functions: LocalFunctions,
    private readonly queues: LocalQueues,
    private readonly clock: Clock,
    private readonly topics?: LocalTopics,
  ) {
    super();
  }

  /** Puts events on their buses; entries for unknown buses or without source, detail-type or detail fail alone. */
  put(entries: readonly PutEventsEntry[]): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    const results = entries.map((entry) => this.putOne(entry));
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }

  private putOne(entry: PutEventsEntry): PutEventsResultEntry {
    const bus = busNameOf(entry.EventBusName);
    if (!this.model.buses.includes(bus)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist (the app has ${this.model.buses.join(', ')})` };
    }
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed (not JSON)' };
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object' };
    }
    const id = randomUUID();
    const time = entry.Time ? new Date(entry.Time) : new Date(this.clock.now());
    const event: Record<string, unknown> = {
      version: '0',
      id,
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.model.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.model.region,
      resources: entry.Resources ?? [],
      detail,
    };
    const matched = this.model.rules.filter((r) => r.enabled && r.busName === bus && r.pattern && matchesPattern(r.pattern, event));
    this.emit('event-put', event, matched);
    const ingestedAt = this.clock.now();
    for (const rule of matched) {
      for (const target of rule.targets) this.deliver(`rule ${rule.displayName}`, rule.arn, target, targetInput(target, event, { name: rule.name, arn: rule.arn, ingestedAt }));
    }
    return { EventId: id };
  }

  /** Hands a payload to a target, retrying and dead-lettering by its policy. Used by rules and schedules. */
  deliver(source: string, sourceArn: string, target: TargetSpec, payload: unknown, attempt = 1, firstAt = this.clock.now()): void {
    const failure = this.send(source, target.arn, payload);
    if (!failure) {
      this.emit('delivery', { source, targetArn: target.arn, outcome: 'delivered' });
      return;
    }
    const delay = Math.min(300_000, 1000 * 2 ** (attempt - 1));
    const age = this.clock.now() + delay - firstAt;
    if (attempt <= target.maximumRetryAttempts && age <= target.maximumEventAgeSeconds * 1000) {
      this.emit('delivery', { source, targetArn: target.arn, outcome: 'retry-scheduled', detail: `${failure}; retry ${attempt} in ${delay / 1000} s` });
      const cancel = this.clock.at(this.clock.now() + delay, () => {
        this.cancels.delete(cancel);
        this.deliver(source, sourceArn, target, payload, attempt + 1, firstAt);
      });
      this.cancels.add(cancel);
      return;
    }
    if (target.deadLetterArn && this.queues.send(target.deadLetterArn, JSON.stringify(payload), {
      RULE_ARN: sourceArn, TARGET_ARN: target.arn, ERROR_CODE: 'ResourceNotFoundException', ERROR_MESSAGE: failure,
    })) {
      this.emit('delivery', { source, targetArn: target.arn, outcome: 'dead-lettered', detail: `${failure}; after ${attempt} attempt(s) -> dead-letter queue` });
    } else {
      this.emit('delivery', { source, targetArn: target.arn, outcome: 'dropped', detail: `${failure}; after ${attempt} attempt(s), no dead-letter queue` });
    }
  }

  /** Sends to a function (asynchronously), a queue, a topic or another bus; returns why it failed, if it did. */
  private send(source: string, arn: string, payload: unknown): string | undefined {
    if (arn.startsWith('arn:aws:lambda:')) {
      return this.functions.invokeAsync(arn, payload, source) ? undefined : `function ${arn} is not part of the app (or not runnable locally)`;
    }
    if (arn.startsWith('arn:aws:sqs:')) {
      return this.queues.send(arn, typeof payload === 'string' ? payload : JSON.stringify(payload)) ? undefined : `queue ${arn} is not part of the app`;
    }
    if (arn.startsWith('arn:aws:sns:')) {
      return this.topics?.publish(arn, typeof payload === 'string' ? payload : JSON.stringify(payload)) ? undefined : `topic ${arn} is not part of the app`;
    }
    if (arn.startsWith('arn:aws:events:') && arn.includes(':event-bus/')) {
      const event = payload as Record<string, unknown>;
      const result = this.putOne({ Source: String(event.source), DetailType: String(event['detail-type']), Detail: JSON.stringify(event.detail ?? {}), EventBusName: arn });
      return result.ErrorMessage;
    }
    return `target ${arn} is not emulated locally`;
  }

  close(): void {
    this.cancels.forEach((c) => c());
    this.cancels.clear();
  }
}
