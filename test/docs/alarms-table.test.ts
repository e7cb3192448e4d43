import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { IConstruct } from 'constructs';
import {
  AlarmProfile, CircuitBreakerTable, ProvisionedConcurrency, ResilientEventBus, ResilientFunction, ResilientHttpApi,
  ResilientQueue, ResilientRestApi, ResilientSchedule, RouteAuth,
} from '../../lib';
import { echoFunction, newStack } from '../support/stacks';

/*
 * README.md's "Alarms" tables document every alarm the library makes: its formula, default threshold,
 * evaluation and missing-data handling. This test synthesizes one of every alarm with default options and
 * compares, so the tables cannot drift from the code.
 */

interface Row { construct: string; alarm: string; profile: string; formula: string; threshold: string; evaluation: string; missing: string }

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');

/** The markdown table that follows `<!-- readme-check: NAME -->`, as rows of trimmed cells (backticks removed). */
function readmeTable(name: string): string[][] {
  const start = README.indexOf(`<!-- readme-check: ${name}`);
  if (start < 0) throw new Error(`README.md has no readme-check table named ${name}`);
  const lines = README.slice(start).split('\n').slice(1);
  const table = lines.slice(0, lines.findIndex((l, i) => i > 0 && !l.startsWith('|')));
  return table.slice(2).map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/^`|`$/g, '').replace(/\\\|/g, '|')));
}

/** One of every alarm, every option at its default (timeout 10 s). */
function everyAlarm(): Stack {
  const stack = newStack();
  const breakers = new CircuitBreakerTable(stack, 'Breakers');
  const essential = echoFunction(stack, {
    provisionedConcurrency: ProvisionedConcurrency.fixed(1),
    circuitBreaker: { table: breakers, circuits: ['payments'] },
    warming: { schedules: [{ name: 'Day', schedule: events.Schedule.rate(Duration.minutes(5)), concurrency: 3 }] },
  }, 'Essential');
  const full = echoFunction(stack, { provisionedConcurrency: ProvisionedConcurrency.fixed(1), alarms: { profile: AlarmProfile.FULL } }, 'Full');
  const http = new ResilientHttpApi(stack, 'EssentialApi');
  http.addRoute('GET', '/', essential, { auth: RouteAuth.none() });
  const rest = new ResilientRestApi(stack, 'FullApi', { alarms: { profile: AlarmProfile.FULL, maxClientErrorRatePercent: 5 } });
  rest.addRoute('GET', '/', full, { auth: RouteAuth.none() });
  new ResilientEventBus(stack, 'Bus').addRule('Placed', { eventPattern: { source: ['shop'] }, target: full });
  new ResilientSchedule(stack, 'Nightly', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: full });
  new ResilientQueue(stack, 'Jobs').addConsumer(full);
  return stack;
}

/** The construct (and, for APIs and functions, the profile) an alarm belongs to, as the README names it. */
function ownerOf(alarm: cloudwatch.Alarm): { construct: string; profile: string } {
  const id = alarm.node.id;
  if (id.startsWith('CircuitOpened')) return { construct: 'CircuitBreakerTable', profile: 'any' };
  if (id === 'WarmingShortfall') return { construct: 'Warmer', profile: 'any' };
  for (let c: IConstruct | undefined = alarm.node.scope; c; c = c.node.scope) {
    if (c instanceof ResilientFunction) return { construct: 'ResilientFunction', profile: c.alarmProfile.toUpperCase() };
    if (c instanceof ResilientHttpApi || c instanceof ResilientRestApi) return { construct: 'ResilientRestApi, ResilientHttpApi', profile: c.alarmProfile.toUpperCase() };
    if (c instanceof ResilientEventBus) return { construct: alarm.node.scope === c ? 'ResilientEventBus' : 'ResilientEventBus (per rule)', profile: 'any' };
    if (c instanceof ResilientSchedule) return { construct: 'ResilientSchedule', profile: 'any' };
    if (c instanceof ResilientQueue) return { construct: 'ResilientQueue', profile: 'any' };
    if (c.node.id.endsWith('ScheduleGroupAlarms') || c.node.id === 'ResilientAlarms') return { construct: 'ResilientSchedule (per group)', profile: 'any' };
  }
  throw new Error(`no owner for ${alarm.node.path}`);
}

/** Whose metrics a term names: REST and HTTP APIs name theirs differently. */
function termOwner(alarm: cloudwatch.Alarm): string {
  for (let c: IConstruct | undefined = alarm.node.scope; c; c = c.node.scope) {
    if (c instanceof ResilientHttpApi) return 'ResilientHttpApi';
    if (c instanceof ResilientRestApi) return 'ResilientRestApi';
  }
  return ownerOf(alarm).construct;
}

const metricText = (stat: string, m: any) => `${stat}(${m.Namespace} ${m.MetricName})`;

/** The README row an alarm should have, and the terms (ids) its metric math uses. */
function rowOf(stack: Stack, alarm: cloudwatch.Alarm, terms: Map<string, string>): Row {
  const p = stack.resolve((alarm.node.defaultChild as cloudwatch.CfnAlarm)._toCloudFormation()).Resources;
  const props = (Object.values(p)[0] as any).Properties;
  let formula: string;
  let period: number;
  const owner = termOwner(alarm);
  if (props.Metrics) {
    for (const m of props.Metrics.filter((q: any) => q.ReturnData === false)) {
      const text = m.Expression ?? metricText(m.MetricStat.Stat, m.MetricStat.Metric);
      const term = `${owner} | ${m.Id}`;
      if (terms.has(term) && terms.get(term) !== text) throw new Error(`term ${term} has two meanings: ${terms.get(term)} and ${text}`);
      terms.set(term, text);
    }
    const returned = props.Metrics.find((q: any) => q.ReturnData !== false);
    formula = returned.Expression;
    period = Math.max(...props.Metrics.filter((q: any) => q.MetricStat).map((q: any) => q.MetricStat.Period));
  } else {
    formula = metricText(props.ExtendedStatistic ?? props.Statistic, props);
    period = props.Period;
  }
  return {
    ...ownerOf(alarm),
    alarm: alarm.node.id.startsWith('CircuitOpened-') ? 'CircuitOpened-<circuit>' : alarm.node.id,
    formula,
    threshold: `> ${props.Threshold}`,
    evaluation: `${props.DatapointsToAlarm ?? props.EvaluationPeriods} of ${props.EvaluationPeriods} × ${period / 60} min`,
    missing: props.TreatMissingData,
  };
}

const key = (r: Row) => `${r.construct} | ${r.alarm} | ${r.profile}`;

describe('README alarm tables', () => {
  const stack = everyAlarm();
  const terms = new Map<string, string>();
  // The stack's warmer is itself a ResilientFunction (with a longer timeout): its alarms are the function's.
  const warmer = stack.node.findChild('ResilientWarmer');
  const alarms = stack.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm && !c.node.path.startsWith(warmer.node.path + '/'));
  const synthesized = new Map(alarms.map((a) => rowOf(stack, a, terms)).map((r) => [key(r), r]));
  const documented = new Map(readmeTable('alarms').map(([construct, alarm, profile, formula, threshold, evaluation, missing]) => {
    // A threshold cell may explain itself after the number: "> 8000 (80 % of the timeout, ms)".
    const row = { construct, alarm, profile, formula, threshold: threshold.replace(/ \(.*\)$/, ''), evaluation, missing };
    return [key(row), row];
  }));

  test('every alarm the library makes has a row, and every row is an alarm the library makes', () => {
    expect([...documented.keys()].sort()).toEqual([...synthesized.keys()].sort());
  });

  test('each row states the synthesized formula, threshold, evaluation and missing-data handling', () => {
    for (const [k, row] of synthesized) {
      expect({ ...documented.get(k), row: k }).toEqual({ ...row, row: k });
    }
  });

  test('every alarm stays within CloudWatch limits: 10 metrics and 10 expressions per alarm, 1024-character descriptions', () => {
    for (const alarm of alarms) {
      const props = (Object.values(stack.resolve((alarm.node.defaultChild as cloudwatch.CfnAlarm)._toCloudFormation()).Resources)[0] as any).Properties;
      const queries: any[] = props.Metrics ?? [];
      expect({ alarm: alarm.node.path, metrics: queries.filter((q) => q.MetricStat).length <= 10, expressions: queries.filter((q) => q.Expression).length <= 10 })
        .toEqual({ alarm: alarm.node.path, metrics: true, expressions: true });
      expect(props.AlarmDescription.length).toBeLessThanOrEqual(1024);
    }
  });

  test('every term a formula uses is defined as synthesized', () => {
    const documentedTerms = new Map(readmeTable('alarm-terms').map(([construct, term, definition]) => [`${construct} | ${term}`, definition]));
    expect(Object.fromEntries([...documentedTerms].sort())).toEqual(Object.fromEntries([...terms].sort()));
  });
});
