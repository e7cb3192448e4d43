import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM_DEFAULTS } from '../alarm-defaults';

/** Period of every dashboard graph: the alarms' period, so an alarm threshold reads on the graph as it is evaluated. */
export const GRAPH_PERIOD = Duration.minutes(ALARM_DEFAULTS.periodMinutes);

/** Size of one graph: four per line of the 24-unit grid. */
const WIDTH = 6;
const HEIGHT = 6;

/** Options of one graph of a row. */
export interface GraphOptions {
  readonly title: string;
  readonly left: cloudwatch.IMetric[];
  readonly right?: cloudwatch.IMetric[];
  readonly leftAnnotations?: Array<cloudwatch.HorizontalAnnotation | undefined>;
  readonly rightAnnotations?: Array<cloudwatch.HorizontalAnnotation | undefined>;
  readonly leftYAxis?: cloudwatch.YAxisProps;
  readonly rightYAxis?: cloudwatch.YAxisProps;
}

/** A graph of the row's standard size; undefined annotations (alarms that are off) are left out. */
export function graph(options: GraphOptions): cloudwatch.GraphWidget {
  const defined = (list?: Array<cloudwatch.HorizontalAnnotation | undefined>) => {
    const kept = (list ?? []).filter((a): a is cloudwatch.HorizontalAnnotation => a !== undefined);
    return kept.length > 0 ? kept : undefined;
  };
  return new cloudwatch.GraphWidget({
    title: options.title,
    width: WIDTH,
    height: HEIGHT,
    left: options.left,
    right: options.right,
    leftAnnotations: defined(options.leftAnnotations),
    rightAnnotations: defined(options.rightAnnotations),
    leftYAxis: { min: 0, showUnits: false, ...options.leftYAxis },
    rightYAxis: options.right ? { min: 0, showUnits: false, ...options.rightYAxis } : undefined,
  });
}

/** The row's title line. */
export function header(markdown: string, height = 1): cloudwatch.TextWidget {
  // Explicit: older aws-cdk-lib releases (the 2.252 floor) leave the background out, 2.276 defaults it to transparent.
  return new cloudwatch.TextWidget({ markdown, width: 24, height, background: cloudwatch.TextWidgetBackground.TRANSPARENT });
}

/** The state of the row's alarms, or nothing when the construct has none. */
export function alarmStatus(alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  return alarms.length === 0 ? [] : [new cloudwatch.AlarmStatusWidget({
    title: 'Alarms',
    alarms,
    width: WIDTH,
    height: HEIGHT,
    sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
  })];
}

/** The threshold of an alarm as a line on a graph, labelled with the alarm's condition. */
export function thresholdOf(alarm: cloudwatch.Alarm | undefined): cloudwatch.HorizontalAnnotation | undefined {
  return alarm?.toAnnotation();
}

/** The alarms among `alarms` whose metric, or one of whose metric-math inputs, is `namespace`/`metricName`. */
export function alarmsWatching(alarms: cloudwatch.Alarm[], namespace: string, metricName: string): cloudwatch.Alarm[] {
  return alarms.filter((alarm) => watches(alarm.metric, namespace, metricName));
}

function watches(metric: cloudwatch.IMetric, namespace: string, metricName: string): boolean {
  if (metric instanceof cloudwatch.Metric) {
    return metric.namespace === namespace && metric.metricName === metricName;
  }
  if (metric instanceof cloudwatch.MathExpression) {
    return Object.values(metric.usingMetrics).some((m) => watches(m, namespace, metricName));
  }
  return false;
}

/**
 * `100 * part / whole` as a percentage line, 0 when there is no traffic. Ids name the inputs within one graph:
 * two lines of a graph may share `whole` (same id, same metric) but need their own `part` id.
 */
export function percentOf(label: string, part: [string, cloudwatch.IMetric], whole: [string, cloudwatch.IMetric]): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(${whole[0]} > 0, 100 * ${part[0]} / ${whole[0]}, 0)`,
    usingMetrics: { [part[0]]: part[1], [whole[0]]: whole[1] },
    label,
    period: GRAPH_PERIOD,
  });
}
