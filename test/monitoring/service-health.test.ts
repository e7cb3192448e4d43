import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AlarmProfile, AlarmTopic, CircuitBreakerTable, ResilientEventBus, ResilientHttpApi, ResilientRestApi, ResilientSchedule,
  RouteAuth, ServiceHealthAlarm, ServiceMonitoring,
} from '../../lib';
import { MAX_CHILDREN_PER_COMPOSITE } from '../../lib/monitoring/service-health-alarm';
import { nagFindings } from '../support/nag';
import { echoFunction, newStack } from '../support/stacks';

/** A service with one of every alarming construct. */
function service(stack: Stack) {
  const fn = echoFunction(stack);
  new CircuitBreakerTable(stack, 'Breakers').grantBreaker(fn, { circuits: ['payments'] });
  const http = new ResilientHttpApi(stack, 'Http');
  http.addRoute('GET', '/', fn, { auth: RouteAuth.none() });
  const rest = new ResilientRestApi(stack, 'Rest');
  rest.addRoute('GET', '/', fn, { auth: RouteAuth.none() });
  const bus = new ResilientEventBus(stack, 'Bus');
  bus.addRule('Placed', { eventPattern: { source: ['shop'] }, target: fn });
  const schedule = new ResilientSchedule(stack, 'Nightly', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: fn });
  return { fn, http, rest, bus, schedule, all: [...fn.alarms, ...http.alarms, ...rest.alarms, ...bus.alarms, ...schedule.alarms] };
}

type Resources = Record<string, { Type: string; Properties: any }>;
const ofType = (template: Template, type: string): Resources => template.findResources(type) as Resources;
const topicRef = (template: Template) => ({ Ref: Object.keys(ofType(template, 'AWS::SNS::Topic'))[0] });

/** Logical ids of the alarms a composite's rule names. */
function ruleChildren(composite: { Properties: any }): string[] {
  return JSON.stringify(composite.Properties.AlarmRule).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/g)!.map((m) => m.split('"')[3]);
}

describe('one service-health alarm per stack', () => {
  const stack = newStack();
  const { fn, all } = service(stack);
  const template = Template.fromStack(stack);
  const alarms = ofType(template, 'AWS::CloudWatch::Alarm');
  const composites = ofType(template, 'AWS::CloudWatch::CompositeAlarm');

  test('watches every alarm the library made, the breaker and schedule-group alarms included', () => {
    expect(Object.keys(composites)).toHaveLength(1);
    expect(ruleChildren(Object.values(composites)[0]).sort()).toEqual(Object.keys(alarms).sort());
    expect(all.length).toBe(Object.keys(alarms).length);
    expect(fn.alarms.map((a) => a.node.id)).toEqual(['Health', 'CircuitOpened-payments']);
  });

  test('the composite notifies the alarm topic; the alarms themselves notify nothing', () => {
    const [composite] = Object.values(composites);
    expect(composite.Properties.AlarmActions).toEqual([topicRef(template)]);
    expect(Object.values(alarms).filter((a) => a.Properties.AlarmActions !== undefined)).toEqual([]);
    expect(fn.alarmTopic).toBe(AlarmTopic.of(stack).topic);
  });

  test('is named after the stack, so the same app deploys twice in one account', () => {
    expect(Object.values(composites)[0].Properties.AlarmName).toEqual({ 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '-ServiceHealth']] });
  });

  test('cdk-nag finds nothing', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

test('addAlarmAction still reaches every alarm of a construct, present and future', () => {
  const stack = newStack();
  const fn = echoFunction(stack);
  const pager = new sns.Topic(stack, 'Pager');
  fn.addAlarmAction(new cwactions.SnsAction(pager));
  new CircuitBreakerTable(stack, 'Breakers').grantBreaker(fn);
  const alarms = Object.values(ofType(Template.fromStack(stack), 'AWS::CloudWatch::Alarm'));
  expect(alarms).toHaveLength(2);
  for (const alarm of alarms) {
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) }]);
  }
});

test('a construct given its own alarmTopic: each of its alarms notifies that topic, and still joins the service health', () => {
  const stack = newStack();
  const team = new sns.Topic(stack, 'Team');
  const fn = echoFunction(stack, { alarmTopic: team });
  const template = Template.fromStack(stack);
  const [alarmId, alarm] = Object.entries(ofType(template, 'AWS::CloudWatch::Alarm'))[0];
  expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(team.node.defaultChild as sns.CfnTopic) }]);
  expect(ruleChildren(Object.values(ofType(template, 'AWS::CloudWatch::CompositeAlarm'))[0])).toEqual([alarmId]);
  expect(fn.alarmTopic).toBe(team);
});

test('notifyEachAlarm: every alarm notifies the topic itself as well', () => {
  const stack = newStack();
  ServiceMonitoring.configure(stack, { notifyEachAlarm: true });
  service(stack);
  const template = Template.fromStack(stack);
  const alarms = Object.values(ofType(template, 'AWS::CloudWatch::Alarm'));
  expect(alarms.length).toBeGreaterThan(5);
  for (const alarm of alarms) {
    expect(alarm.Properties.AlarmActions).toEqual([topicRef(template)]);
  }
  expect(Object.keys(ofType(template, 'AWS::CloudWatch::CompositeAlarm'))).toHaveLength(1);
});

test('serviceHealthAlarm: false: no composite, and every alarm notifies the topic (as before)', () => {
  const stack = newStack();
  ServiceMonitoring.configure(stack, { serviceHealthAlarm: false });
  service(stack);
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
  for (const alarm of Object.values(ofType(template, 'AWS::CloudWatch::Alarm'))) {
    expect(alarm.Properties.AlarmActions).toEqual([topicRef(template)]);
  }
  expect(stack.node.tryFindChild('ResilientServiceHealth')).toBeUndefined();
});

test('a stack with no library alarm gets neither a composite nor a topic', () => {
  const stack = newStack();
  echoFunction(stack, { alarms: { enabled: false } });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
  template.resourceCountIs('AWS::SNS::Topic', 0);
});

test('the service-health alarm takes more actions, e.g. a second topic', () => {
  const stack = newStack();
  echoFunction(stack);
  const incidents = new sns.Topic(stack, 'Incidents');
  ServiceHealthAlarm.of(stack).alarm.addAlarmAction(new cwactions.SnsAction(incidents));
  const [composite] = Object.values(ofType(Template.fromStack(stack), 'AWS::CloudWatch::CompositeAlarm'));
  expect(composite.Properties.AlarmActions).toHaveLength(2);
});

describe('beyond 30 alarms: a tree of composites within CloudWatch limits', () => {
  // 50 functions under FULL would not fit one stack; alarms made directly keep this test fast.
  const stack = newStack();
  const functions = [0, 1, 2].map((i) => echoFunction(stack, { alarms: { profile: AlarmProfile.FULL } }, `Fn${i}`));
  const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Signal' });
  for (let i = 0; i < 60; i++) {
    functions[i % 3].addAlarm(new cloudwatch.Alarm(stack, `Extra${i}`, { metric, threshold: 1, evaluationPeriods: 1 }));
  }
  const template = Template.fromStack(stack);
  const alarmIds = Object.keys(ofType(template, 'AWS::CloudWatch::Alarm'));
  const composites = ofType(template, 'AWS::CloudWatch::CompositeAlarm');
  const [rootId] = Object.keys(composites).filter((id) => id.startsWith('ResilientServiceHealthAlarm'));
  const groupIds = Object.keys(composites).filter((id) => id !== rootId);

  test(`the service-health alarm watches ceil(n / ${MAX_CHILDREN_PER_COMPOSITE}) group composites, each alarm in exactly one group`, () => {
    expect(alarmIds).toHaveLength(75);
    expect(MAX_CHILDREN_PER_COMPOSITE).toBe(30);
    expect(ruleChildren(composites[rootId]).sort()).toEqual(groupIds.sort());
    expect(groupIds).toHaveLength(3);
    const grouped = groupIds.flatMap((id) => ruleChildren(composites[id]));
    expect(grouped.sort()).toEqual(alarmIds.sort());
    for (const id of groupIds) {
      expect(ruleChildren(composites[id]).length).toBeLessThanOrEqual(MAX_CHILDREN_PER_COMPOSITE);
      expect(composites[id].Properties.AlarmActions).toBeUndefined();
    }
    expect(composites[rootId].Properties.AlarmActions).toEqual([topicRef(template)]);
  });

  test('every rule stays under 10 240 characters and 100 alarms even with 255-character alarm names', () => {
    const worstArn = `arn:aws-us-gov:cloudwatch:${'r'.repeat(20)}:123456789012:alarm:${'n'.repeat(255)}`;
    for (const composite of Object.values(composites)) {
      const rendered = JSON.stringify(composite.Properties.AlarmRule['Fn::Join'][1].map((part: unknown) => typeof part === 'string' ? part : worstArn).join(''));
      expect(rendered.length).toBeLessThanOrEqual(10240);
      expect(ruleChildren(composite).length).toBeLessThanOrEqual(100);
    }
  });
});
