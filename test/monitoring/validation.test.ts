import { AlarmProfile, FunctionAlarm, ResilientHttpApi, ResilientRestApi, ServiceMonitoring } from '../../lib';
import { echoFunction, newStack } from '../support/stacks';

// Bad input for the alarm settings: one synth-time error naming the construct path, the prop, the value and what is allowed.

test('alarms.minInvocations must be a whole number of invocations >= 1', () => {
  expect(() => echoFunction(newStack(), { alarms: { minInvocations: 0 } }))
    .toThrow("ResilientFunction at 'Test/Fn' has 1 problem in its props:\n  - alarms.minInvocations must be an integer >= 1, got 0");
  expect(() => echoFunction(newStack(), { alarms: { minInvocations: 2.5 } })).toThrow('alarms.minInvocations must be an integer >= 1, got 2.5');
});

test('alarms.profile of a function must be an AlarmProfile', () => {
  expect(() => echoFunction(newStack(), { alarms: { profile: 'minimal' as AlarmProfile } }))
    .toThrow(`ResilientFunction at 'Test/Fn' has 1 problem in its props:\n  - alarms.profile must be AlarmProfile.ESSENTIAL or AlarmProfile.FULL ("essential" or "full"), got "minimal"`);
});

test('alarms.disable may not name the Health alarm of the other profile', () => {
  expect(() => echoFunction(newStack(), { alarms: { profile: AlarmProfile.FULL, disable: [FunctionAlarm.HEALTH] } }))
    .toThrow('alarms.disable names "Health", which is not one of the alarms this function has: ErrorRate, Throttles, DurationP99, DeadLetterQueueDepth, AsyncDeliveryFailures');
});

test('alarms.minRequests of an API must be a whole number of requests >= 1', () => {
  expect(() => new ResilientHttpApi(newStack(), 'Api', { alarms: { minRequests: -5 } }))
    .toThrow("ResilientHttpApi at 'Test/Api' has 1 problem in its props:\n  - alarms.minRequests must be an integer >= 1, got -5");
});

test('alarms.profile of an API must be an AlarmProfile', () => {
  expect(() => new ResilientRestApi(newStack(), 'Api', { alarms: { profile: 'FULL' as AlarmProfile } }))
    .toThrow(`ResilientRestApi at 'Test/Api' has 1 problem in its props:\n  - alarms.profile must be AlarmProfile.ESSENTIAL or AlarmProfile.FULL ("essential" or "full"), got "FULL"`);
});

test('ServiceMonitoring alarmProfile must be an AlarmProfile', () => {
  expect(() => ServiceMonitoring.configure(newStack(), { alarmProfile: 'all' as AlarmProfile }))
    .toThrow(`ServiceMonitoring at 'Test/ResilientServiceMonitoring' has 1 problem in its props:\n  - alarmProfile must be AlarmProfile.ESSENTIAL or AlarmProfile.FULL ("essential" or "full"), got "all"`);
});

test('ServiceMonitoring.configure after the first resilient construct says why it is too late', () => {
  const stack = newStack();
  echoFunction(stack);
  expect(() => ServiceMonitoring.configure(stack, { alarmProfile: AlarmProfile.FULL })).toThrow(/must be called once, before the stack's first resilient construct/);
});
