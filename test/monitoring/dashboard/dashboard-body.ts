/*
 * Reads the service dashboard out of a synthesized template: the body is a Fn::Join of JSON text and
 * intrinsics; each intrinsic becomes a readable placeholder (`${Ref:Logical}`, `${GetAtt:Logical.Arn}`,
 * `${Select:1:${Split:|:${Ref:Rule}}}`) so the JSON parses and references can be checked against the template.
 */

export interface Template {
  readonly Resources: Record<string, { Type: string; Properties?: any }>;
}

/** One metric line of a graph, in CloudWatch's array form: namespace, name, then dimension name/value pairs. */
export interface MetricLine {
  readonly widget: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly options: Record<string, unknown>;
}

export interface DashboardWidget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: any;
}

export function placeholder(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if ('Ref' in v) return `\${Ref:${v.Ref}}`;
  if ('Fn::GetAtt' in v) return `\${GetAtt:${v['Fn::GetAtt'].join('.')}}`;
  if ('Fn::Select' in v) return `\${Select:${v['Fn::Select'][0]}:${placeholder(v['Fn::Select'][1])}}`;
  if ('Fn::Split' in v) return `\${Split:${v['Fn::Split'][0]}:${placeholder(v['Fn::Split'][1])}}`;
  if ('Fn::Join' in v) return v['Fn::Join'][1].map(placeholder).join(v['Fn::Join'][0]);
  throw new Error(`unexpected intrinsic in a dashboard body: ${JSON.stringify(value)}`);
}

/** The widgets of every AWS::CloudWatch::Dashboard of the template, by dashboard logical id. */
export function dashboardsOf(template: Template): Map<string, DashboardWidget[]> {
  const result = new Map<string, DashboardWidget[]>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::CloudWatch::Dashboard') {
      result.set(id, JSON.parse(placeholder(resource.Properties.DashboardBody)).widgets);
    }
  }
  return result;
}

/** Every metric line of the graphs (metric-math expressions are skipped: their inputs are lines too). */
export function metricLines(widgets: DashboardWidget[]): MetricLine[] {
  const lines: MetricLine[] = [];
  for (const w of widgets.filter((x) => x.type === 'metric')) {
    for (const entry of w.properties.metrics as unknown[][]) {
      if (typeof entry[0] !== 'string') continue;
      const last = entry[entry.length - 1];
      const options = typeof last === 'object' ? last as Record<string, unknown> : {};
      const parts = (typeof last === 'object' ? entry.slice(0, -1) : entry) as string[];
      if (parts.includes('.')) throw new Error(`"." shorthand is not read by this checker: ${JSON.stringify(entry)}`);
      const [namespace, metricName, ...pairs] = parts;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
      lines.push({ widget: w.properties.title, namespace, metricName, dimensions, options });
    }
  }
  return lines;
}

/** Logical ids of the alarms shown by alarm-status widgets. */
export function alarmsShown(widgets: DashboardWidget[]): string[] {
  return widgets.filter((w) => w.type === 'alarm').flatMap((w) => (w.properties.alarms as string[]).map(logicalIdOfArn));
}

function logicalIdOfArn(arn: string): string {
  const match = /^\$\{GetAtt:([A-Za-z0-9]+)\.Arn\}$/.exec(arn);
  if (!match) throw new Error(`alarm widget names an alarm that is not a GetAtt of the template: ${arn}`);
  return match[1];
}

/** The logical id inside `${Ref:Id}`, when `value` is exactly that. */
export function refOf(value: string): string | undefined {
  return /^\$\{Ref:([A-Za-z0-9]+)\}$/.exec(value)?.[1];
}
