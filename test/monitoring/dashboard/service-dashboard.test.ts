import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template as Assertions } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { dashboardsOf, DashboardWidget, Template } from './dashboard-body';
import { everyKind } from './every-kind-stack';
import { AlarmProfile, CircuitBreakerTable, FunctionAlarm, ProvisionedConcurrency, ResilientEventBus, ServiceDashboard, ServiceHealthAlarm, ServiceMonitoring } from '../../../lib';
import { RowKind } from '../../../lib/monitoring/dashboard/dashboard-row';
import { nagFindings } from '../../support/nag';
import { echoFunction, newStack } from '../../support/stacks';
import { testTemplatesAreClean } from '../../support/template-checks';

const widgetsOf = (stack: Stack): DashboardWidget[] => {
  const dashboards = dashboardsOf(Assertions.fromStack(stack).toJSON() as Template);
  expect(dashboards.size).toBe(1);
  return [...dashboards.values()][0];
};
const titles = (widgets: DashboardWidget[]) => widgets.map((w) => w.properties.title ?? w.properties.markdown);
const widget = (widgets: DashboardWidget[], title: string, after = 0) => widgets.slice(after).find((w) => w.properties.title === title)!;
const rowStart = (widgets: DashboardWidget[], heading: string) => widgets.findIndex((w) => w.type === 'text' && w.properties.markdown.includes(heading));

describe('one dashboard per stack, created on first use', () => {
  test('the first resilient construct creates it; later ones add rows to the same one', () => {
    const stack = newStack();
    expect(stack.node.tryFindChild('ResilientServiceDashboard')).toBeUndefined();
    echoFunction(stack, {}, 'A');
    const dashboard = ServiceDashboard.of(stack);
    echoFunction(stack, {}, 'B');
    expect(ServiceDashboard.of(stack)).toBe(dashboard);
    Assertions.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(titles(widgetsOf(stack)).filter((t) => t?.startsWith('### Function'))).toEqual(['### Function `Test/A` (alias `live`)', '### Function `Test/B` (alias `live`)']);
  });

  test('the service-health alarm, the one that pages, is the first widget under the heading', () => {
    const stack = newStack();
    echoFunction(stack);
    const widgets = widgetsOf(stack);
    expect(widgets[1].type).toBe('alarm');
    expect(widgets[1].properties.alarms).toEqual([`${'$'}{GetAtt:${stack.getLogicalId(ServiceHealthAlarm.of(stack).alarm.node.defaultChild as CfnElement)}.Arn}`]);
  });

  test('a stack without resilient constructs has none', () => {
    const stack = newStack();
    new cloudwatch.Alarm(stack, 'Own', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1 });
    Assertions.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('asked for on a stack without resilient constructs, it is a dashboard with its heading only', () => {
    const stack = newStack();
    expect(ServiceDashboard.of(stack)).toBeDefined();
    expect(widgetsOf(stack).map((w) => w.type)).toEqual(['text']);
  });

  test('ServiceMonitoring.configure(stack, { dashboard: false }) turns it off', () => {
    const stack = newStack();
    ServiceMonitoring.configure(stack, { dashboard: false });
    echoFunction(stack);
    new ResilientEventBus(stack, 'Bus');
    expect(ServiceDashboard.of(stack)).toBeUndefined();
    Assertions.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('the escape hatch takes the user\'s own widgets, below the library\'s rows', () => {
    const stack = newStack();
    echoFunction(stack);
    ServiceDashboard.of(stack)!.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: 'mine', width: 24, height: 1 }));
    const widgets = widgetsOf(stack);
    expect(widgets[widgets.length - 1].properties.markdown).toBe('mine');
  });
});

describe('rows', () => {
  const stack = newStack();
  // One alarm per signal, so each graph carries its own alarm's threshold line.
  ServiceMonitoring.configure(stack, { alarmProfile: AlarmProfile.FULL });
  const kinds = everyKind(stack);
  const widgets = widgetsOf(stack);

  test('entry points first, then functions, events, circuits and warming; no widgets overlap', () => {
    const headings = titles(widgets).filter((t) => t?.startsWith('### ')).map((t: string) => t.split(' `')[0]);
    expect(headings).toEqual([
      '### REST API', '### HTTP API',
      '### Function', '### Function', '### Function', // the warmer's own function is a ResilientFunction too
      '### Event bus', '### Event bus', '### Schedule', '### Schedule', '### Queue',
      '### Circuits of', '### Circuits of',
      '### Warming of',
    ]);
    const cells = new Set<string>();
    for (const w of widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) for (let y = w.y; y < w.y + w.height; y++) {
        expect(cells.has(`${x},${y}`)).toBe(false);
        cells.add(`${x},${y}`);
      }
    }
  });

  test('a function: duration against its timeout and the p99 alarm threshold; errors against the error-rate alarm', () => {
    const start = rowStart(widgets, 'Function `Test/Plain`');
    const duration = widget(widgets, 'Duration (ms) against the timeout', start).properties;
    expect(duration.annotations.horizontal.map((a: any) => a.value)).toEqual([20_000, 16_000]); // timeout, 80 % of it
    expect(duration.metrics.map((m: any[]) => m[m.length - 1].stat)).toEqual(['p50', 'p99']);
    const errors = widget(widgets, 'Errors (% of invocations)', start).properties;
    expect(errors.annotations.horizontal.map((a: any) => a.value)).toEqual([kinds.plain.alarm(FunctionAlarm.ERROR_RATE)!.toAnnotation().value]);
  });

  test('provisioned concurrency: utilization and spillover only for a function that has it', () => {
    const provisioned = rowStart(widgets, 'Function `Test/Provisioned`');
    const plain = rowStart(widgets, 'Function `Test/Plain`');
    const pcWidgets = widgets.filter((w) => w.properties.title === 'Provisioned concurrency');
    expect(pcWidgets).toHaveLength(1);
    expect(widgets.indexOf(pcWidgets[0])).toBeGreaterThan(provisioned);
    expect(widgets.indexOf(pcWidgets[0])).toBeLessThan(plain);
    expect(pcWidgets[0].properties.annotations.horizontal.map((a: any) => a.value)).toEqual([90, 0]);
  });

  test('rules, circuits and alarms added after a construct was created are in its row', () => {
    expect(titles(widgets)).toEqual(expect.arrayContaining(['Rule Placed', 'Rule Cancelled', 'Rule Ec2']));
    const circuits = widget(widgets, 'State (0 closed, 1 half-open, 2 open)', rowStart(widgets, 'Circuits of `Test/Provisioned`'));
    expect(circuits.properties.metrics.map((m: any[]) => m[m.length - 1].label)).toEqual(['pricing: state', 'stock: state']);
    expect(kinds.table.node.path).toBe('Test/Breakers');
  });

  test('alarm widgets list each construct\'s own alarms', () => {
    const restAlarms = widget(widgets, 'Alarms', rowStart(widgets, 'REST API')).properties.alarms;
    expect(restAlarms).toHaveLength(kinds.rest.alarms.length);
    const provisionedAlarms = widget(widgets, 'Alarms', rowStart(widgets, 'Function `Test/Provisioned`')).properties.alarms;
    expect(provisionedAlarms).toHaveLength(kinds.provisioned.alarms.length); // incl. 2 circuit alarms and the warming shortfall
  });
});

test('a circuit granted later through the table (not the prop) gets a row', () => {
  const stack = newStack();
  const fn = echoFunction(stack, { provisionedConcurrency: ProvisionedConcurrency.fixed(1), timeout: Duration.seconds(5) });
  new CircuitBreakerTable(stack, 'Table').grantBreaker(fn, { circuits: ['payments'] });
  expect(titles(widgetsOf(stack))).toContain('### Circuits of `Test/Fn` (`payments`; table `Test/Table`)');
});

test('more widgets than CloudWatch accepts fail the synth with the way out', () => {
  const stack = newStack();
  echoFunction(stack);
  const many = Array.from({ length: 600 }, () => new cloudwatch.TextWidget({ markdown: 'x' }));
  ServiceDashboard.of(stack)!._addRow({ kind: RowKind.FUNCTION, title: () => 'big', widgets: () => many });
  expect(() => (stack.node.root as App).synth()).toThrow(
    /ServiceDashboard at 'Test\/ResilientServiceDashboard': \d+ widgets, but CloudWatch accepts at most 500 per dashboard.*dashboard: false/,
  );
});

describe('a stack with every construct kind and its dashboard', () => {
  process.env.CDK_VALIDATION = 'true';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Dashboard');
  everyKind(stack);
  const assembly = app.synth();
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  testTemplatesAreClean(outdir, assembly.stacks.map((s) => path.join(outdir, s.templateFile)));

  test('cdk-nag AwsSolutions + Serverless: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
