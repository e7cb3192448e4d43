import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ProvisionedConcurrency, ResilientFunction, WARMER_COVERED_WARNING } from '../../lib';
import { identityStatements } from '../support/iam';
import { nagFindings } from '../support/nag';
import { ECHO_HANDLER, echoFunction, newStack } from '../support/stacks';

const every5Minutes = events.Schedule.rate(Duration.minutes(5));
const businessHours = events.Schedule.expression('cron(0/5 8-18 ? * MON-FRI *)');
const nights = events.Schedule.expression('cron(0/5 0-7,19-23 ? * * *)');

describe('two warmed functions in one stack', () => {
  const stack = newStack();
  const api = echoFunction(stack, { warming: { schedules: [{ name: 'BusinessHours', schedule: businessHours, concurrency: 10 }, { name: 'Nights', schedule: nights, concurrency: 2 }] } }, 'Api');
  const worker = echoFunction(stack, { warming: { schedules: [{ name: 'Always', schedule: every5Minutes, concurrency: 3 }] } }, 'Worker');
  const template = Template.fromStack(stack);

  test('one warmer per stack, itself a resilient function running the pre-bundled handler', () => {
    const warmers = Object.values<any>(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Description?.includes('warmer'));
    expect(warmers).toHaveLength(1);
    expect(warmers[0].Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 120, MemorySize: 256 });
  });

  test('a rule per schedule, each invoking the warmer alias with the target alias ARN and its concurrency', () => {
    template.resourceCountIs('AWS::Events::Rule', 3);
    for (const [expression, target, concurrency] of [['cron(0/5 8-18 ? * MON-FRI *)', 'ApiLiveAlias', 10], ['cron(0/5 0-7,19-23 ? * * *)', 'ApiLiveAlias', 2], ['rate(5 minutes)', 'WorkerLiveAlias', 3]] as const) {
      const rule = Object.values<any>(template.findResources('AWS::Events::Rule')).find((r) => r.Properties.ScheduleExpression === expression);
      const [ruleTarget] = rule.Properties.Targets;
      expect(ruleTarget.Arn).toEqual({ Ref: expect.stringMatching(/^ResilientWarmerFunctionLiveAlias/) });
      expect(ruleTarget.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
      expect(ruleTarget.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^ResilientWarmerFunctionFailedInvocations/), 'Arn'] } });
      // The input is JSON joined around the alias Ref: put the logical id in its place and parse it.
      const parts: Array<string | { Ref: string }> = ruleTarget.Input['Fn::Join'][1];
      const input = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : p.Ref)).join(''));
      expect(input).toEqual({ targets: [{ functionArn: expect.stringMatching(new RegExp(`^${target}`)), concurrency }] });
    }
  });

  test('IAM: the warmer may invoke exactly the two target aliases and nothing else', () => {
    const invokes = identityStatements(template, 'ResilientWarmer').filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('lambda:')));
    expect(invokes).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^ApiLiveAlias/) } },
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^WorkerLiveAlias/) } },
    ]);
  });

  test('EventBridge may invoke only the warmer alias', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { Ref: Match.stringLikeRegexp('ResilientWarmerFunctionLiveAlias') },
    });
  });

  test('a shortfall alarm per target: requested - distinct > 0 for two consecutive runs', () => {
    expect(api.alarms.map((a) => a.node.id)).toContain('WarmingShortfall');
    expect(worker.alarms.map((a) => a.node.id)).toContain('WarmingShortfall');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 0,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'requested - distinct' }),
        Match.objectLike({ Id: 'distinct', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'ResilientServerless', MetricName: 'WarmDistinctInstances' }) }) }),
      ]),
    });
  });

  test('cdk-nag: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('warming options', () => {
  test('a schedule that provisioned concurrency already covers is skipped with an acknowledgeable warning', () => {
    const stack = newStack();
    const fn = echoFunction(stack, {
      provisionedConcurrency: ProvisionedConcurrency.fixed(5),
      warming: { schedules: [{ name: 'Day', schedule: every5Minutes, concurrency: 5 }, { name: 'Peak', schedule: businessHours, concurrency: 8 }] },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0/5 8-18 ? * MON-FRI *)' });
    const warnings = Annotations.fromStack(stack).findWarning(`/${fn.node.path}`, Match.stringLikeRegexp('warming schedule "Day" \\(concurrency 5\\) is skipped'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain(WARMER_COVERED_WARNING);
  });

  test('fully covered: no warmer at all', () => {
    const stack = newStack();
    echoFunction(stack, { provisionedConcurrency: ProvisionedConcurrency.fixed(5), warming: { schedules: [{ name: 'Day', schedule: every5Minutes, concurrency: 2 }] } });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('disabled per stage: no rule, no grant, no alarm', () => {
    const stack = newStack();
    const fn = echoFunction(stack, { warming: { enabled: false, schedules: [{ name: 'Day', schedule: every5Minutes, concurrency: 2 }] } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(fn.alarms.map((a) => a.node.id)).not.toContain('WarmingShortfall');
  });

  test.each([
    ['concurrency below 1', [{ name: 'Day', schedule: every5Minutes, concurrency: 0 }], {}, 'warming.schedules[0].concurrency must be an integer between 1 and 1000, got 0'],
    ['concurrency above reserved', [{ name: 'Day', schedule: every5Minutes, concurrency: 20 }], { reservedConcurrentExecutions: 10 }, 'warming.schedules[0].concurrency must be <= reservedConcurrentExecutions (10), got 20'],
    ['a 5-field cron', [{ name: 'Day', schedule: events.Schedule.expression('cron(*/5 * * * *)'), concurrency: 2 }], {}, 'warming.schedules[0].schedule must be an AWS schedule expression, got "cron(*/5 * * * *)"'],
    ['a malformed rate', [{ name: 'Day', schedule: events.Schedule.expression('rate(5 minute)'), concurrency: 2 }], {}, 'warming.schedules[0].schedule must be an AWS schedule expression, got "rate(5 minute)"'],
    ['no schedules', [], {}, 'warming.schedules must be at least one schedule (or leave warming unset), got "[]"'],
    ['duplicate names', [{ name: 'Day', schedule: every5Minutes, concurrency: 2 }, { name: 'Day', schedule: nights, concurrency: 1 }], {}, 'warming.schedules[1].name must be unique among the schedules, got "Day"'],
  ])('bad warming input (%s) fails at synth time', (_name, schedules, extra, message) => {
    const stack = newStack('Stage');
    expect(() => new ResilientFunction(stack, 'Checkout', { entry: ECHO_HANDLER, ...extra, warming: { schedules } }))
      .toThrow(message);
  });
});
