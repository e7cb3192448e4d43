/*
 * What CloudWatch really receives: the metrics AWS services publish (namespace, dimension set, metric names, from
 * their documentation) and the metrics the library's runtime publishes, read from the EMF lines the runtime
 * writes when it runs (not from the constants it is written with).
 */
import { createWarmer } from '../../../lib/warmer/handler/warmer';
import { fail, FakeClock, instance, outcome, succeed } from '../../runtime/circuit-breaker/harness';
import { startDynalite } from '../../support/dynalite';

/** Metrics published under one namespace with exactly one set of dimension names. */
export interface PublishedMetrics {
  readonly namespace: string;
  readonly dimensions: readonly string[];
  readonly metrics: readonly string[];
}

const LAMBDA_INVOCATION = ['Invocations', 'Errors', 'Throttles', 'Duration', 'DestinationDeliveryFailures', 'DeadLetterErrors', 'ConcurrentExecutions'];
// Provisioned concurrency is a property of a version or alias: published with the Resource dimension only.
const LAMBDA_PROVISIONED = ['ProvisionedConcurrencyUtilization', 'ProvisionedConcurrencySpilloverInvocations', 'ProvisionedConcurrencyInvocations', 'ProvisionedConcurrentExecutions'];
const EVENTS_RULE = ['Invocations', 'FailedInvocations', 'ThrottledRules', 'InvocationsSentToDlq', 'InvocationsFailedToBeSentToDlq', 'TriggeredRules', 'MatchedEvents', 'DeadLetterInvocations'];
const SCHEDULER = ['InvocationAttemptCount', 'TargetErrorCount', 'TargetErrorThrottledCount', 'InvocationThrottleCount', 'InvocationDroppedCount', 'InvocationsSentToDeadLetterCount', 'InvocationsFailedToBeSentToDeadLetterCount'];

/** AWS services' metrics, as their documentation lists them (December 2026). */
export const AWS_PUBLISHED: readonly PublishedMetrics[] = [
  // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html and monitoring-concurrency.html:
  // FunctionName; FunctionName + Resource (a version or alias, `name:alias`); plus ExecutedVersion for aliases.
  { namespace: 'AWS/Lambda', dimensions: ['FunctionName'], metrics: LAMBDA_INVOCATION },
  { namespace: 'AWS/Lambda', dimensions: ['FunctionName', 'Resource'], metrics: [...LAMBDA_INVOCATION, ...LAMBDA_PROVISIONED] },
  { namespace: 'AWS/Lambda', dimensions: ['ExecutedVersion', 'FunctionName', 'Resource'], metrics: [...LAMBDA_INVOCATION, ...LAMBDA_PROVISIONED] },
  // REST APIs, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
  { namespace: 'AWS/ApiGateway', dimensions: ['ApiName'], metrics: ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency', 'CacheHitCount', 'CacheMissCount'] },
  { namespace: 'AWS/ApiGateway', dimensions: ['ApiName', 'Stage'], metrics: ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency', 'CacheHitCount', 'CacheMissCount'] },
  // HTTP APIs, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html (same namespace,
  // other names: 4xx/5xx, and ApiId instead of ApiName)
  { namespace: 'AWS/ApiGateway', dimensions: ['ApiId'], metrics: ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency', 'DataProcessed'] },
  { namespace: 'AWS/ApiGateway', dimensions: ['ApiId', 'Stage'], metrics: ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency', 'DataProcessed'] },
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html: RuleName alone for the default
  // bus, EventBusName + RuleName for a custom bus.
  { namespace: 'AWS/Events', dimensions: ['RuleName'], metrics: EVENTS_RULE },
  { namespace: 'AWS/Events', dimensions: ['EventBusName', 'RuleName'], metrics: EVENTS_RULE },
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/monitoring-cloudwatch.html: per schedule group, or account-wide.
  { namespace: 'AWS/Scheduler', dimensions: [], metrics: SCHEDULER },
  { namespace: 'AWS/Scheduler', dimensions: ['ScheduleGroup'], metrics: SCHEDULER },
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
  {
    namespace: 'AWS/SQS',
    dimensions: ['QueueName'],
    metrics: ['ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'ApproximateAgeOfOldestMessage', 'NumberOfMessagesSent', 'NumberOfMessagesReceived', 'NumberOfMessagesDeleted', 'NumberOfEmptyReceives', 'SentMessageSize'],
  },
];

/** The runtime's metrics and a sample of the dimension values it wrote. */
export interface RuntimeMetrics {
  readonly published: PublishedMetrics[];
  /** The FunctionName the breaker wrote while AWS_LAMBDA_FUNCTION_NAME was `functionNameEnv`. */
  readonly breakerFunctionName: unknown;
  readonly functionNameEnv: string;
  /** The Target the warmer wrote for the alias ARN `arn:aws:lambda:…:function:<FUNCTION_NAME_MARK>:live`. */
  readonly warmerTarget: unknown;
}

/** Stands for a function name in the warmed ARN; the dashboard's Target must be the same with the real name. */
export const FUNCTION_NAME_MARK = 'FUNCTION_NAME_MARK';

/**
 * Runs the breaker against dynalite through a full cycle (failures open it, calls are rejected, a probe
 * closes it) and the warmer through one round, capturing the EMF lines each writes.
 */
export async function runtimeMetrics(): Promise<RuntimeMetrics> {
  const lines: Array<Record<string, any>> = [];
  const db = await startDynalite();
  const functionNameEnv = 'function-from-lambda-env';
  const savedName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  process.env.AWS_LAMBDA_FUNCTION_NAME = functionNameEnv;
  try {
    const clock = new FakeClock();
    const breaker = instance(db, await db.createBreakerTable(), clock);
    // Traffic, then a flush once it has settled (older than flushMs): the state and the window's failure rate.
    for (const call of [succeed, succeed, fail]) await outcome(breaker.breaker, call);
    clock.advance(2_000);
    await outcome(breaker.breaker, succeed);
    // The downstream fails: the circuit opens, and calls are rejected.
    for (let n = 0; n < 8 && (await breaker.breaker.state()) !== 'OPEN'; n++) await outcome(breaker.breaker, fail);
    for (let n = 0; n < 3; n++) await outcome(breaker.breaker, succeed);
    clock.advance(31_000);
    for (let n = 0; n < 2; n++) await outcome(breaker.breaker, succeed); // half-open probes close it
    clock.advance(2_000);
    await outcome(breaker.breaker, succeed);
    lines.push(...breaker.metrics);
  } finally {
    process.env.AWS_LAMBDA_FUNCTION_NAME = savedName;
    if (savedName === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    await db.stop();
  }
  const breakerFunctionName = lines.find((l) => 'FunctionName' in l)?.FunctionName;

  const warmerLines: Array<Record<string, any>> = [];
  const warmer = createWarmer({
    invoke: async (_arn, payload) => {
      const request = payload.__resilientWarmup;
      return { warmup: true, instanceId: `env-${request.index}`, cold: true, batchId: request.batchId, index: request.index };
    },
    emit: (line) => warmerLines.push(JSON.parse(line)),
  });
  await warmer.warm({ targets: [{ functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${FUNCTION_NAME_MARK}:live`, concurrency: 2 }], holdMs: 0 });
  lines.push(...warmerLines);

  return { published: fromEmf(lines), breakerFunctionName, functionNameEnv, warmerTarget: warmerLines[0]?.Target };
}

/** Namespace, dimension sets and metric names as CloudWatch reads them from EMF lines. */
function fromEmf(lines: Array<Record<string, any>>): PublishedMetrics[] {
  const byKey = new Map<string, { namespace: string; dimensions: string[]; metrics: Set<string> }>();
  for (const line of lines) {
    for (const directive of line._aws?.CloudWatchMetrics ?? []) {
      for (const dimensionSet of directive.Dimensions as string[][]) {
        const dimensions = [...dimensionSet].sort();
        const key = `${directive.Namespace}|${dimensions.join(',')}`;
        const entry = byKey.get(key) ?? { namespace: directive.Namespace, dimensions, metrics: new Set<string>() };
        for (const metric of directive.Metrics as Array<{ Name: string }>) {
          // EMF publishes a metric only when the line carries its value under the same key.
          if (typeof line[metric.Name] === 'number' && dimensionSet.every((d) => typeof line[d] === 'string')) entry.metrics.add(metric.Name);
        }
        byKey.set(key, entry);
      }
    }
  }
  return [...byKey.values()].map((e) => ({ namespace: e.namespace, dimensions: e.dimensions, metrics: [...e.metrics].sort() }));
}

/** The published entry a metric line matches, or why it matches none. */
export function checkLine(published: readonly PublishedMetrics[], line: { namespace: string; metricName: string; dimensions: Record<string, string> }): string | undefined {
  const names = Object.keys(line.dimensions).sort();
  const sameDimensions = published.filter((p) => p.namespace === line.namespace && [...p.dimensions].sort().join(',') === names.join(','));
  if (sameDimensions.length === 0) {
    return `${line.namespace} publishes nothing with dimensions [${names.join(', ')}] (metric ${line.metricName})`;
  }
  if (!sameDimensions.some((p) => p.metrics.includes(line.metricName))) {
    return `${line.namespace} publishes no ${line.metricName} with dimensions [${names.join(', ')}]`;
  }
  return undefined;
}
