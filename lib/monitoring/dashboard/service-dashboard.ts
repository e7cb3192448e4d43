import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DashboardRow } from './dashboard-row';
import { RowsWidget } from './rows-widget';
import { header } from './widgets';
import { ServiceHealthAlarm } from '../service-health-alarm';
import { ServiceMonitoring } from '../service-monitoring';

/** CloudWatch accepts at most this many widgets on one dashboard. */
const MAX_WIDGETS = 500;

/**
 * The stack's CloudWatch dashboard: one row per resilient construct (APIs, functions, event buses and
 * schedules, circuits, warmers), each with the metrics AWS and the library's runtime publish for it and the
 * state and thresholds of its alarms.
 *
 * One per stack, created by the first resilient construct unless the stack opted out with
 * `ServiceMonitoring.configure(stack, { dashboard: false })`. Rows are rendered when the template is
 * synthesized, so routes, rules, circuits and alarms added after a construct was created appear in its row.
 */
export class ServiceDashboard extends Construct {
  /** The stack's service dashboard, created on first call; undefined when the stack turned the dashboard off. */
  public static of(scope: Construct): ServiceDashboard | undefined {
    const stack = Stack.of(scope);
    if (!ServiceMonitoring.of(stack).dashboardEnabled) {
      return undefined;
    }
    const existing = stack.node.tryFindChild(ServiceDashboard.ID);
    return existing instanceof ServiceDashboard ? existing : new ServiceDashboard(stack, ServiceDashboard.ID);
  }

  private static readonly ID = 'ResilientServiceDashboard';

  /** The CloudWatch dashboard (escape hatch: add your own widgets below the library's rows). */
  public readonly dashboard: cloudwatch.Dashboard;

  private readonly rows: DashboardRow[] = [];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard');
    this.dashboard.addWidgets(header(`# ${stack.stackName}: resilient constructs\nOne row per API, function, bus, schedule, circuit and warmer; lines across graphs are alarm thresholds.`, 2));
    this.dashboard.addWidgets(new RowsWidget(() => this.renderRows()));
    this.node.addValidation({
      validate: () => {
        const count = 2 + this.rows.reduce((sum, row) => sum + 1 + row.widgets().length, 0);
        return count > MAX_WIDGETS
          ? [`ServiceDashboard at '${this.node.path}': ${count} widgets, but CloudWatch accepts at most ${MAX_WIDGETS} per dashboard; split the stack or turn the dashboard off with ServiceMonitoring.configure(stack, { dashboard: false })`]
          : [];
      },
    });
  }

  /** @internal Adds a construct's row; constructs call this through `trackOnDashboard`. */
  public _addRow(row: DashboardRow): void {
    this.rows.push(row);
  }

  /** Every row's title and widgets, grouped by kind (stable within a kind: registration order). */
  private renderRows(): cloudwatch.IWidget[] {
    const ordered = this.rows.map((row, i) => ({ row, i })).sort((a, b) => a.row.kind - b.row.kind || a.i - b.i);
    // The alarm that pages goes first, so the page it sends leads to the row of what tripped it.
    const health = Stack.of(this).node.children.find((child): child is ServiceHealthAlarm => child instanceof ServiceHealthAlarm);
    const top = health ? [new cloudwatch.AlarmStatusWidget({ title: 'Service health (the alarm that pages)', alarms: [health.alarm], width: 24, height: 2 })] : [];
    return [...top, ...ordered.flatMap(({ row }) => [header(row.title()), new cloudwatch.Row(...row.widgets())])];
  }
}

/** Gives a construct its row on the stack's service dashboard, unless the stack turned the dashboard off. */
export function trackOnDashboard(scope: Construct, row: DashboardRow): void {
  ServiceDashboard.of(scope)?._addRow(row);
}
