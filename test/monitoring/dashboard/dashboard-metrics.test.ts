import { App, Stack } from 'aws-cdk-lib';
import { Template as Assertions } from 'aws-cdk-lib/assertions';
import { alarmsShown, dashboardsOf, DashboardWidget, metricLines, MetricLine, refOf, Template } from './dashboard-body';
import { everyKind } from './every-kind-stack';
import { AWS_PUBLISHED, checkLine, FUNCTION_NAME_MARK, PublishedMetrics, runtimeMetrics, RuntimeMetrics } from './published-metrics';
import { ExampleStack } from '../../../bin/example-stack';
import { METRIC_NAMESPACE } from '../../../lib/contract';

/*
 * Every metric on the service dashboard must be one CloudWatch really receives: the name and the exact
 * dimension set a service publishes (AWS tables from the services' documentation, ours from the EMF the
 * runtime writes when run), and dimension values that name the resources of the same template.
 */

let runtime: RuntimeMetrics;
let published: PublishedMetrics[];
beforeAll(async () => {
  runtime = await runtimeMetrics();
  published = [...AWS_PUBLISHED, ...runtime.published];
}, 60_000);

const synth = (build: (stack: Stack) => void): Template => {
  const stack = new Stack(new App(), 'Dash');
  build(stack);
  return Assertions.fromStack(stack).toJSON() as Template;
};
const stacks: Array<[string, () => Template]> = [
  ['the example app', () => Assertions.fromStack(new ExampleStack(new App(), 'ResilientExample')).toJSON() as Template],
  ['a stack with every construct kind', () => synth((stack) => everyKind(stack))],
];

describe('the runtime publishes what the dashboard reads (measured by running it)', () => {
  test('breaker and warmer lines land in the ResilientServerless namespace', () => {
    expect(runtime.published.map((p) => p.namespace)).toEqual(runtime.published.map(() => METRIC_NAMESPACE));
    expect(runtime.published.length).toBeGreaterThanOrEqual(3); // FunctionName+Circuit, FunctionName, Target
  });

  test('the breaker names the function by the Lambda environment (the unqualified function name)', () => {
    expect(runtime.breakerFunctionName).toBe(runtime.functionNameEnv);
  });

  test('the warmer names a target `<function name>:<alias>` from the alias ARN it invokes', () => {
    expect(runtime.warmerTarget).toBe(`${FUNCTION_NAME_MARK}:live`);
  });
});

describe.each(stacks)('dashboard of %s', (_name, template) => {
  let t: Template;
  let widgets: DashboardWidget[];
  let lines: MetricLine[];
  beforeAll(() => {
    t = template();
    const dashboards = dashboardsOf(t);
    expect(dashboards.size).toBe(1);
    widgets = [...dashboards.values()][0];
    lines = metricLines(widgets);
  });
  const typeOf = (logicalId: string | undefined) => (logicalId ? t.Resources[logicalId]?.Type : undefined);

  test('every metric is published under that name with exactly those dimensions', () => {
    expect(lines.length).toBeGreaterThan(20);
    const problems = lines.flatMap((line) => {
      const problem = checkLine(published, line);
      return problem ? [`${problem} [widget "${line.widget}"]`] : [];
    });
    expect(problems).toEqual([]);
  });

  test('Lambda metrics name a function of the template and its live alias', () => {
    for (const line of lines.filter((l) => l.namespace === 'AWS/Lambda')) {
      const fn = refOf(line.dimensions.FunctionName);
      expect(typeOf(fn)).toBe('AWS::Lambda::Function');
      expect(line.dimensions.Resource).toBe(`\${Ref:${fn}}:live`);
      const aliases = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Alias' && r.Properties.FunctionName?.Ref === fn);
      expect(aliases.map((a) => a.Properties.Name)).toEqual(['live']);
    }
  });

  test('API Gateway metrics name a REST API by its name and stage, an HTTP API by its id and stage', () => {
    const api = lines.filter((l) => l.namespace === 'AWS/ApiGateway');
    expect(api.length).toBeGreaterThan(0);
    for (const line of api) {
      if ('ApiName' in line.dimensions) {
        const restApis = Object.values(t.Resources).filter((r) => r.Type === 'AWS::ApiGateway::RestApi').map((r) => r.Properties.Name);
        expect(restApis).toContain(line.dimensions.ApiName);
        expect(typeOf(refOf(line.dimensions.Stage))).toBe('AWS::ApiGateway::Stage');
      } else {
        const apiId = refOf(line.dimensions.ApiId);
        expect(typeOf(apiId)).toBe('AWS::ApiGatewayV2::Api');
        const stages = Object.values(t.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Stage' && r.Properties.ApiId.Ref === apiId);
        expect(stages.map((s) => s.Properties.StageName)).toContain(line.dimensions.Stage);
      }
    }
  });

  test('EventBridge rule metrics carry the rule name (the part of a custom-bus rule\'s Ref after "|") and its bus', () => {
    for (const line of lines.filter((l) => l.namespace === 'AWS/Events')) {
      if ('EventBusName' in line.dimensions) {
        expect(typeOf(refOf(line.dimensions.EventBusName))).toBe('AWS::Events::EventBus');
        const rule = /^\$\{Select:1:\$\{Split:\|:\$\{Ref:([A-Za-z0-9]+)\}\}\}$/.exec(line.dimensions.RuleName)?.[1];
        expect(typeOf(rule)).toBe('AWS::Events::Rule');
        expect(t.Resources[rule!].Properties.EventBusName).toEqual({ Ref: refOf(line.dimensions.EventBusName) });
      } else {
        const rule = refOf(line.dimensions.RuleName);
        expect(typeOf(rule)).toBe('AWS::Events::Rule');
        expect(t.Resources[rule!].Properties.EventBusName ?? 'default').toBe('default');
      }
    }
  });

  test('Scheduler metrics name a schedule group the schedules use', () => {
    for (const line of lines.filter((l) => l.namespace === 'AWS/Scheduler')) {
      const groups = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule').map((r) => r.Properties.GroupName ?? 'default');
      expect(groups.map((g) => (typeof g === 'string' ? g : `\${Ref:${g.Ref}}`))).toContain(line.dimensions.ScheduleGroup);
    }
  });

  test('SQS metrics name a queue of the template', () => {
    for (const line of lines.filter((l) => l.namespace === 'AWS/SQS')) {
      expect(line.dimensions.QueueName).toMatch(/^\$\{GetAtt:[A-Za-z0-9]+\.QueueName\}$/);
      expect(typeOf(/GetAtt:([A-Za-z0-9]+)\./.exec(line.dimensions.QueueName)![1])).toBe('AWS::SQS::Queue');
    }
  });

  test('our metrics carry the values the runtime writes: the function name, `<function name>:live`', () => {
    const ours = lines.filter((l) => l.namespace === METRIC_NAMESPACE);
    expect(ours.length).toBeGreaterThan(0);
    for (const line of ours) {
      if ('Target' in line.dimensions) {
        const fn = /^\$\{Ref:([A-Za-z0-9]+)\}/.exec(line.dimensions.Target)?.[1];
        expect(typeOf(fn)).toBe('AWS::Lambda::Function');
        expect(line.dimensions.Target).toBe(String(runtime.warmerTarget).replace(FUNCTION_NAME_MARK, `\${Ref:${fn}}`));
      } else {
        expect(typeOf(refOf(line.dimensions.FunctionName))).toBe('AWS::Lambda::Function');
      }
    }
  });

  test('every alarm of the template is shown, and alarm widgets name alarms of the template', () => {
    const shown = alarmsShown(widgets);
    // The service-health composite is shown too, at the top.
    for (const id of shown) expect(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']).toContain(typeOf(id));
    expect(shown.filter((id) => typeOf(id) === 'AWS::CloudWatch::CompositeAlarm')).toHaveLength(1);
    const alarms = Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.filter((id) => !shown.includes(id))).toEqual([]);
  });

  test('cold-start queries read a log group of the template', () => {
    const queries = widgets.filter((w) => w.type === 'log');
    expect(queries.length).toBeGreaterThan(0);
    for (const w of queries) {
      const group = /^SOURCE '\$\{Ref:([A-Za-z0-9]+)\}'/.exec(w.properties.query)?.[1];
      expect(typeOf(group)).toBe('AWS::Logs::LogGroup');
    }
  });
});

test('the stack with every construct kind exercises every namespace and dimension set the dashboard uses', () => {
  const [widgets] = dashboardsOf(synth((stack) => everyKind(stack))).values();
  const seen = new Set(metricLines(widgets).map((l) => `${l.namespace} [${Object.keys(l.dimensions).sort().join(', ')}]`));
  expect([...seen].sort()).toEqual([
    'AWS/ApiGateway [ApiId, Stage]',
    'AWS/ApiGateway [ApiName, Stage]',
    'AWS/Events [EventBusName, RuleName]',
    'AWS/Events [RuleName]',
    'AWS/Lambda [FunctionName, Resource]',
    'AWS/SQS [QueueName]',
    'AWS/Scheduler [ScheduleGroup]',
    'ResilientServerless [Circuit, FunctionName]',
    'ResilientServerless [FunctionName]',
    'ResilientServerless [Target]',
  ]);
});

describe('the checker itself (controls)', () => {
  test('rejects names and dimension sets a service does not publish', () => {
    const check = (namespace: string, metricName: string, dimensions: Record<string, string>) => checkLine(AWS_PUBLISHED, { namespace, metricName, dimensions });
    expect(check('AWS/ApiGateway', '5xx', { ApiName: 'a', Stage: 'prod' })).toMatch(/no 5xx/); // HTTP name on a REST API
    expect(check('AWS/ApiGateway', '5XXError', { ApiId: 'a', Stage: '$default' })).toMatch(/no 5XXError/); // REST name on an HTTP API
    expect(check('AWS/Lambda', 'ProvisionedConcurrencyUtilization', { FunctionName: 'f' })).toMatch(/no ProvisionedConcurrencyUtilization/);
    expect(check('AWS/Scheduler', 'TargetErrorCount', { ScheduleName: 's' })).toMatch(/nothing with dimensions/);
    expect(check('AWS/ApiGateway', '5XXError', { ApiName: 'a', Stage: 'prod' })).toBeUndefined();
  });

  test('rejects a metric the runtime does not write, or writes with other dimensions', () => {
    expect(checkLine(runtime.published, { namespace: METRIC_NAMESPACE, metricName: 'CircuitInitDuration', dimensions: { FunctionName: 'f' } })).toMatch(/no CircuitInitDuration/);
    expect(checkLine(runtime.published, { namespace: METRIC_NAMESPACE, metricName: 'CircuitState', dimensions: { Circuit: 'c' } })).toMatch(/nothing with dimensions/);
    expect(checkLine(runtime.published, { namespace: METRIC_NAMESPACE, metricName: 'WarmRequested', dimensions: { FunctionName: 'f' } })).toMatch(/no WarmRequested/);
  });
});
