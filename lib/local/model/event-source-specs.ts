import type { CfnResource } from '../assembly/cloud-assembly';
import { LocalRunnerError } from '../errors';
import type { TemplateResolver } from '../intrinsics/template-resolver';
import { displayName } from './display-name';
import type { EventSourceMappingSpec, SubscriptionSpec, TopicSpec } from './specs';

type Props = Record<string, unknown>;

/**
 * Reads AWS::Lambda::EventSourceMapping with Lambda's defaults where the template leaves a setting out:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html
 * (batch size 10 for SQS, 100 for streams; no batching window; streams retry until the record expires).
 */
export function readEventSourceMappings(resolver: TemplateResolver, resources: Array<[string, CfnResource]>): EventSourceMappingSpec[] {
  const mappings: EventSourceMappingSpec[] = [];
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const props = resolver.properties(logicalId);
    const where = `Stack ${resolver.stackName}: ${logicalId} (AWS::Lambda::EventSourceMapping)`;
    const arn = String(props.EventSourceArn ?? '');
    const kind = arn.startsWith('arn:aws:sqs:') ? 'sqs' : arn.startsWith('arn:aws:dynamodb:') && arn.includes('/stream/') ? 'dynamodb-stream' : 'other';
    const filters = (((props.FilterCriteria as Props | undefined)?.Filters as Props[] | undefined) ?? []).map((f, i) => {
      try {
        return (typeof f.Pattern === 'string' ? JSON.parse(f.Pattern) : f.Pattern) as Record<string, unknown>;
      } catch (err) {
        throw new LocalRunnerError(`${where} FilterCriteria.Filters[${i}].Pattern is not valid JSON: ${(err as Error).message}`);
      }
    });
    const number = (value: unknown, fallback: number) => (value === undefined ? fallback : Number(value));
    const onFailure = ((props.DestinationConfig as Props | undefined)?.OnFailure as Props | undefined)?.Destination;
    const concurrency = (props.ScalingConfig as Props | undefined)?.MaximumConcurrency;
    mappings.push({
      logicalId,
      displayName: displayName(resolver.stackName, logicalId, resource),
      uuid: resolver.attributes(logicalId, logicalId).ref,
      kind,
      eventSourceArn: arn,
      functionName: String(props.FunctionName),
      enabled: props.Enabled === undefined || props.Enabled === true || props.Enabled === 'true',
      batchSize: number(props.BatchSize, kind === 'sqs' ? 10 : 100),
      maximumBatchingWindowSeconds: number(props.MaximumBatchingWindowInSeconds, 0),
      reportBatchItemFailures: Array.isArray(props.FunctionResponseTypes) && props.FunctionResponseTypes.includes('ReportBatchItemFailures'),
      filters,
      ...(concurrency !== undefined ? { maximumConcurrency: Number(concurrency) } : {}),
      maximumRetryAttempts: number(props.MaximumRetryAttempts, -1),
      maximumRecordAgeSeconds: number(props.MaximumRecordAgeInSeconds, -1),
      bisectBatchOnFunctionError: props.BisectBatchOnFunctionError === true || props.BisectBatchOnFunctionError === 'true',
      ...(typeof onFailure === 'string' ? { onFailureArn: onFailure } : {}),
      ...(typeof props.StartingPosition === 'string' ? { startingPosition: props.StartingPosition } : {}),
    });
  }
  return mappings;
}

/** Reads SNS topics with their inline subscriptions and the AWS::SNS::Subscription resources that name them. */
export function readTopics(resolver: TemplateResolver, resources: Array<[string, CfnResource]>): TopicSpec[] {
  const topics = new Map<string, TopicSpec & { subscriptions: SubscriptionSpec[] }>();
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::SNS::Topic') continue;
    const props = resolver.properties(logicalId);
    const attrs = resolver.attributes(logicalId, logicalId);
    const inline = ((props.Subscription as Props[] | undefined) ?? []).map((s) => subscription({ Protocol: s.Protocol, Endpoint: s.Endpoint }));
    topics.set(attrs.attributes.TopicArn, {
      logicalId, displayName: displayName(resolver.stackName, logicalId, resource), arn: attrs.attributes.TopicArn, name: attrs.attributes.TopicName, subscriptions: inline,
    });
  }
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::SNS::Subscription') continue;
    const props = resolver.properties(logicalId);
    topics.get(String(props.TopicArn))?.subscriptions.push(subscription(props));
  }
  return [...topics.values()];
}

function subscription(props: Props): SubscriptionSpec {
  const policy = typeof props.FilterPolicy === 'string' ? JSON.parse(props.FilterPolicy) : props.FilterPolicy;
  return {
    protocol: String(props.Protocol).toLowerCase(),
    endpoint: String(props.Endpoint),
    rawMessageDelivery: props.RawMessageDelivery === true || props.RawMessageDelivery === 'true',
    ...(policy ? { filterPolicy: policy as Record<string, unknown> } : {}),
    filterPolicyScope: props.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
  };
}
