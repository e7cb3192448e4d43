import type { CfnResource } from '../assembly/cloud-assembly';
import { LocalRunnerError } from '../errors';
import type { TemplateResolver } from '../intrinsics/template-resolver';
import { displayName } from './display-name';
import type { RuleSpec, ScheduleSpec, TargetSpec } from './specs';

type Props = Record<string, unknown>;

/** EventBridge's defaults for a target without a retry policy (24 hours, 185 attempts). */
const RULE_TARGET_RETRY = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };

/** Reads event buses, rules (pattern and schedule) and EventBridge Scheduler schedules. */
export function readEvents(resolver: TemplateResolver, resources: Array<[string, CfnResource]>): { buses: string[]; rules: RuleSpec[]; schedules: ScheduleSpec[] } {
  const stackName = resolver.stackName;
  const buses: string[] = [];
  const rules: RuleSpec[] = [];
  const schedules: ScheduleSpec[] = [];
  for (const [logicalId, resource] of resources) {
    const where = `Stack ${stackName}: ${logicalId} (${resource.Type})`;
    if (resource.Type === 'AWS::Events::EventBus') {
      buses.push(resolver.attributes(logicalId, logicalId).ref);
    } else if (resource.Type === 'AWS::Events::Rule') {
      const props = resolver.properties(logicalId);
      const attrs = resolver.attributes(logicalId, logicalId);
      const pattern = typeof props.EventPattern === 'string' ? parseJson(props.EventPattern, `${where} EventPattern`) : props.EventPattern;
      rules.push({
        logicalId,
        displayName: displayName(stackName, logicalId, resource),
        name: attrs.ref,
        arn: attrs.attributes.Arn,
        busName: busNameOf(props.EventBusName),
        ...(pattern !== undefined ? { pattern: pattern as Record<string, unknown> } : {}),
        ...(typeof props.ScheduleExpression === 'string' ? { scheduleExpression: props.ScheduleExpression } : {}),
        enabled: props.State === undefined || props.State === 'ENABLED',
        targets: ((props.Targets as Props[] | undefined) ?? []).map((t) => ruleTarget(t)),
      });
    } else if (resource.Type === 'AWS::Scheduler::Schedule') {
      const props = resolver.properties(logicalId);
      const attrs = resolver.attributes(logicalId, logicalId);
      const target = (props.Target ?? {}) as Props;
      const retry = (target.RetryPolicy ?? {}) as Props;
      const window = props.FlexibleTimeWindow as Props | undefined;
      schedules.push({
        logicalId,
        displayName: displayName(stackName, logicalId, resource),
        name: attrs.ref,
        arn: attrs.attributes.Arn,
        expression: String(props.ScheduleExpression),
        ...(typeof props.ScheduleExpressionTimezone === 'string' ? { timezone: props.ScheduleExpressionTimezone } : {}),
        ...(window?.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes !== undefined ? { flexibleWindowMinutes: Number(window.MaximumWindowInMinutes) } : {}),
        enabled: props.State === undefined || props.State === 'ENABLED',
        ...(typeof props.StartDate === 'string' ? { startDate: props.StartDate } : {}),
        ...(typeof props.EndDate === 'string' ? { endDate: props.EndDate } : {}),
        target: {
          id: 'ScheduleTarget',
          arn: String(target.Arn),
          ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
          // Scheduler's defaults: 185 attempts over 24 hours.
          maximumRetryAttempts: retry.MaximumRetryAttempts === undefined ? 185 : Number(retry.MaximumRetryAttempts),
          maximumEventAgeSeconds: retry.MaximumEventAgeInSeconds === undefined ? 86_400 : Number(retry.MaximumEventAgeInSeconds),
          ...(deadLetter(target) ? { deadLetterArn: deadLetter(target)! } : {}),
        },
      });
    }
  }
  return { buses, rules, schedules };
}

function ruleTarget(t: Props): TargetSpec {
  const retry = (t.RetryPolicy ?? {}) as Props;
  const transformer = t.InputTransformer as Props | undefined;
  return {
    id: String(t.Id),
    arn: String(t.Arn),
    ...(typeof t.Input === 'string' ? { input: t.Input } : {}),
    ...(typeof t.InputPath === 'string' ? { inputPath: t.InputPath } : {}),
    ...(transformer ? { inputTransformer: { inputPathsMap: (transformer.InputPathsMap ?? {}) as Record<string, string>, inputTemplate: String(transformer.InputTemplate) } } : {}),
    maximumRetryAttempts: retry.MaximumRetryAttempts === undefined ? RULE_TARGET_RETRY.maximumRetryAttempts : Number(retry.MaximumRetryAttempts),
    maximumEventAgeSeconds: retry.MaximumEventAgeInSeconds === undefined ? RULE_TARGET_RETRY.maximumEventAgeSeconds : Number(retry.MaximumEventAgeInSeconds),
    ...(deadLetter(t) ? { deadLetterArn: deadLetter(t)! } : {}),
  };
}

function deadLetter(t: Props): string | undefined {
  const arn = (t.DeadLetterConfig as Props | undefined)?.Arn;
  return typeof arn === 'string' ? arn : undefined;
}

/** A bus given by name or ARN, as the name. */
export function busNameOf(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'default';
  const text = String(value);
  return text.startsWith('arn:') ? text.slice(text.indexOf('event-bus/') + 'event-bus/'.length) : text;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LocalRunnerError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}
