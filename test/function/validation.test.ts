import { CfnParameter, Duration, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FunctionAlarm, ProvisionedConcurrency, ResilientFunction, ResilientFunctionProps } from '../../lib';
import { ECHO_HANDLER, newStack } from '../support/stacks';

const weekdays = appscaling.Schedule.cron({ minute: '0', hour: '8', weekDay: 'MON-FRI' });

function build(props: Partial<ResilientFunctionProps>): () => void {
  return () => {
    const stack = newStack('Stage');
    new ResilientFunction(stack, 'Checkout', { entry: ECHO_HANDLER, ...props });
  };
}

// Each case: the props, then fragments the error must contain (prop, value, allowed range).
const cases: Array<[string, Partial<ResilientFunctionProps>, string[]]> = [
  ['missing entry', { entry: undefined }, ['entry must name the handler file', 'got undefined']],
  ['timeout beyond 900 s', { timeout: Duration.seconds(901) }, ['timeout (seconds) must be between 1 and 900, got 901']],
  ['memory below 128 MB', { memorySize: 64 }, ['memorySize must be an integer between 128 and 10240, got 64']],
  ['fixed capacity below 1', { provisionedConcurrency: ProvisionedConcurrency.fixed(0) }, ['provisionedConcurrency (fixed executions) must be an integer >= 1, got 0']],
  ['autoscaled min below 1', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 0, maxCapacity: 5 }) }, ['provisionedConcurrency.minCapacity must be an integer >= 1, got 0']],
  ['min above max', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 10, maxCapacity: 5 }) }, ['provisionedConcurrency.maxCapacity must be >= minCapacity (10), got 5']],
  ['utilization target above 0.9', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, utilizationTarget: 0.95 }) }, ['provisionedConcurrency.utilizationTarget must be between 0.1 and 0.9, got 0.95']],
  ['utilization target as a percentage', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, utilizationTarget: 70 }) }, ['utilizationTarget must be between 0.1 and 0.9, got 70']],
  ['scheduled minimum 0 (aws-cdk#29992)', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Night', schedule: weekdays, minCapacity: 0 }] }) }, ['provisionedConcurrency.schedules[0].minCapacity must be an integer >= 1, got 0']],
  ['window min above its max', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Day', schedule: weekdays, minCapacity: 8, maxCapacity: 4 }] }) }, ['schedules[0].maxCapacity must be >= its minCapacity (8), got 4']],
  ['Unix 5-field cron', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Day', schedule: appscaling.Schedule.expression('cron(0 8 * * 1-5)'), minCapacity: 2 }] }) }, ['schedules[0].schedule must be an AWS schedule expression, got "cron(0 8 * * 1-5)"', '6 fields']],
  ['cron with both day fields set', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Day', schedule: appscaling.Schedule.expression('cron(0 8 * * MON-FRI *)'), minCapacity: 2 }] }) }, ['exactly one of day-of-month and day-of-week must be "?"']],
  ['duplicate window names', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Day', schedule: weekdays, minCapacity: 2 }, { name: 'Day', schedule: weekdays, minCapacity: 3 }] }) }, ['schedules[1].name must be unique among the schedules, got "Day"']],
  ['scheduled without windows', { provisionedConcurrency: ProvisionedConcurrency.scheduled({ minCapacity: 1, schedules: [] }) }, ['provisionedConcurrency.schedules must be at least one window']],
  ['provisioned above reserved', { reservedConcurrentExecutions: 5, provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 10 }) }, ['provisionedConcurrency peak capacity must be <= reservedConcurrentExecutions (5), got 10']],
  ['negative throttle threshold', { alarms: { maxThrottles: -1 } }, ['alarms.maxThrottles must be >= 0, got -1']],
  ['error rate above 100%', { alarms: { maxErrorRatePercent: 150 } }, ['alarms.maxErrorRatePercent must be between 0 and 100, got 150']],
  ['datapoints above evaluation periods', { alarms: { evaluationPeriods: 2, datapointsToAlarm: 3 } }, ['alarms.datapointsToAlarm must be <= evaluationPeriods (2), got 3']],
  ['disabling PC alarms on a function without PC', { alarms: { disable: [FunctionAlarm.PROVISIONED_SPILLOVER, FunctionAlarm.PROVISIONED_UTILIZATION] } }, ['"ProvisionedConcurrencySpillover", which is not one of the alarms this function has', '"ProvisionedConcurrencyUtilization"']],
  ['disabling an alarm kind that does not exist', { alarms: { disable: ['Latency' as FunctionAlarm] } }, ['"Latency", which is not one of the FunctionAlarm values']],
  ['retry attempts above 2', { retryAttempts: 3 }, ['retryAttempts must be an integer between 0 and 2, got 3']],
];

describe('bad input fails at synth time with the construct path, the prop, the value and what is allowed', () => {
  test.each(cases)('%s', (_name, props, fragments) => {
    let message = '';
    try {
      build(props)();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("ResilientFunction at 'Stage/Checkout'");
    for (const fragment of fragments) {
      expect(message).toContain(fragment);
    }
  });

  test('log retention together with a log group', () => {
    const stack = newStack('Stage');
    const group = new logs.LogGroup(stack, 'Group');
    expect(() => new ResilientFunction(stack, 'Checkout', { entry: ECHO_HANDLER, logGroup: group, logRetention: logs.RetentionDays.ONE_DAY }))
      .toThrow('logRetention must be left unset when logGroup is given (set the retention on your log group), got 1');
  });

  test('every problem of one construct is reported in one error', () => {
    expect(build({ memorySize: 64, timeout: Duration.minutes(20), alarms: { maxThrottles: -1 } }))
      .toThrow(/has 3 problems in its props:\n {2}- timeout .*\n {2}- memorySize .*\n {2}- alarms.maxThrottles/);
  });

  test('nothing is half-built: a failed construct leaves no resources behind', () => {
    const stack = newStack('Stage');
    expect(() => new ResilientFunction(stack, 'Checkout', { entry: ECHO_HANDLER, memorySize: 1 })).toThrow();
    expect(stack.node.tryFindChild('Checkout')?.node.children ?? []).toHaveLength(0);
  });

  test('CDK tokens pass validation untouched', () => {
    const stack = newStack('Stage');
    const min = Token.asNumber(new CfnParameter(stack, 'MinPc', { type: 'Number' }).valueAsNumber);
    const reserved = new CfnParameter(stack, 'Reserved', { type: 'Number' }).valueAsNumber;
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' }).valueAsNumber;
    new ResilientFunction(stack, 'Checkout', {
      entry: ECHO_HANDLER,
      memorySize: memory,
      reservedConcurrentExecutions: reserved,
      provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: min, maxCapacity: 10 }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: { Ref: 'MinPc' } } });
  });
});
