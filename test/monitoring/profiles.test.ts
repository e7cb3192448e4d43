import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { AlarmProfile, CircuitBreakerTable, FunctionAlarm, ProvisionedConcurrency, ResilientFunctionProps, ServiceMonitoring } from '../../lib';
import { echoFunction } from '../support/stacks';

/*
 * A CloudFormation stack holds 500 resources. The alarm profile decides how many functions fit: these tests
 * pin the resources one ResilientFunction adds under each profile, and synthesize 50 functions in one stack.
 */

function stackWith(profile: AlarmProfile | undefined, count: number, props: (i: number) => Partial<ResilientFunctionProps> = () => ({})): Stack {
  const stack = new Stack(new App(), 'Service');
  if (profile) {
    ServiceMonitoring.configure(stack, { alarmProfile: profile });
  }
  for (let i = 0; i < count; i++) {
    echoFunction(stack, props(i), `Fn${i}`);
  }
  return stack;
}

function resourceTypes(stack: Stack): string[] {
  const template = (stack.node.root as App).synth().getStackByName(stack.stackName).template;
  return Object.values<any>(template.Resources).map((r) => r.Type);
}

/** Resources one more function adds to a stack that already has one (so stack-wide resources exist). */
function perFunction(profile: AlarmProfile | undefined, props: Partial<ResilientFunctionProps> = {}): string[] {
  const one = resourceTypes(stackWith(profile, 1, () => props));
  const two = resourceTypes(stackWith(profile, 2, () => props));
  const extra = [...two];
  for (const type of one) {
    extra.splice(extra.indexOf(type), 1);
  }
  return extra.sort();
}

const BASE = ['AWS::IAM::Role', 'AWS::Lambda::Alias', 'AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::Function', 'AWS::Lambda::Version',
  'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy'];
const alarms = (n: number) => Array(n).fill('AWS::CloudWatch::Alarm');

test('ESSENTIAL (the default): 9 resources per function, 1 of them an alarm, with or without provisioned concurrency', () => {
  expect(perFunction(undefined)).toEqual([...alarms(1), ...BASE].sort());
  expect(perFunction(AlarmProfile.ESSENTIAL, { provisionedConcurrency: ProvisionedConcurrency.fixed(2) })).toEqual([...alarms(1), ...BASE].sort());
});

test('FULL: 13 resources per function (5 alarms), 15 with provisioned concurrency (7 alarms)', () => {
  expect(perFunction(AlarmProfile.FULL)).toEqual([...alarms(5), ...BASE].sort());
  expect(perFunction(AlarmProfile.FULL, { provisionedConcurrency: ProvisionedConcurrency.fixed(2) })).toEqual([...alarms(7), ...BASE].sort());
});

describe('50 ResilientFunctions in one stack', () => {
  const businessHours = events.Schedule.expression('cron(0/5 8-17 ? * MON-FRI *)');
  /** A realistic mix: provisioned concurrency (fixed and autoscaled), warming, circuit breakers. */
  function mix(stack: Stack) {
    const breakers = new CircuitBreakerTable(stack, 'Breakers');
    return (i: number): Partial<ResilientFunctionProps> => {
      if (i < 6) return { provisionedConcurrency: ProvisionedConcurrency.fixed(2) };
      if (i < 9) return { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 10, utilizationTarget: 0.7 }) };
      if (i < 15) return { warming: { schedules: [{ name: 'Day', schedule: businessHours, concurrency: 3 }] } };
      if (i < 21) return { circuitBreaker: { table: breakers, circuits: ['payments'] } };
      return {};
    };
  }

  test('ESSENTIAL: 50 plain functions are 457 resources, 43 left for the app', () => {
    const types = resourceTypes(stackWith(undefined, 50));
    // 50 x 9, the alarm topic (key, topic, policy), the service-health alarm over its 2 group composites, the dashboard.
    expect(types.length).toBe(50 * 9 + 3 + 3 + 1);
  });

  test('ESSENTIAL: the realistic mix synthesizes within the limit', () => {
    const stack = new Stack(new App(), 'Service');
    const props = mix(stack);
    for (let i = 0; i < 50; i++) {
      echoFunction(stack, props(i), `Fn${i}`);
    }
    const types = resourceTypes(stack);
    const count = (type: string) => types.filter((t) => t === type).length;
    expect(count('AWS::Lambda::Function')).toBe(51); // the 50 and the stack's warmer
    // 50 Health alarms, 6 warming-shortfall and 6 circuit-opened alarms, and the warmer's own Health alarm.
    expect(count('AWS::CloudWatch::Alarm')).toBe(63);
    // The service-health alarm over 63 alarms: itself and 3 group composites.
    expect(count('AWS::CloudWatch::CompositeAlarm')).toBe(4);
    // 50 x 9, warmer 9 + 6 x (rule, permission, alarm), breaker table + 6 alarms, 3 x (scalable target, policy),
    // alarm topic 3, composites 4, the dashboard.
    expect(types.length).toBe(450 + 9 + 18 + 7 + 6 + 3 + 4 + 1);
    expect(types.length).toBeLessThanOrEqual(500);
  });

  test('FULL: 50 plain functions exceed the 500-resource limit, which is why ESSENTIAL is the default', () => {
    const stack = stackWith(AlarmProfile.FULL, 50);
    expect(() => resourceTypes(stack)).toThrow(/TooManyResourcesInStack|Number of resources in stack/);
  });

  test('a function can still ask for FULL alarms in an ESSENTIAL stack', () => {
    const stack = stackWith(undefined, 1, () => ({ alarms: { profile: AlarmProfile.FULL } }));
    expect(stack.node.findAll().filter((c) => Object.values(FunctionAlarm).includes(c.node.id as FunctionAlarm)).map((c) => c.node.id))
      .toEqual([FunctionAlarm.ERROR_RATE, FunctionAlarm.THROTTLES, FunctionAlarm.DURATION_P99, FunctionAlarm.DEAD_LETTER_QUEUE_DEPTH, FunctionAlarm.ASYNC_DELIVERY_FAILURES]);
  });
});
