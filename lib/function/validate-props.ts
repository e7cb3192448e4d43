import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ProvisionedConcurrency, ProvisionedConcurrencyMode } from './provisioned-concurrency';
import type { ResilientFunctionProps } from './resilient-function';
import { ALARM_DEFAULTS } from '../monitoring/alarm-defaults';
import { FunctionAlarm } from '../monitoring/alarm-options';
import { AlarmProfile } from '../monitoring/alarm-profile';
import { validateAlarmProfile } from '../monitoring/validate-profile';
import { applicableAlarms } from '../monitoring/function-alarms';
import { isConcrete, PropsValidator } from '../private/validation';
import { scheduleExpressionProblem } from '../private/schedule-expression';

/** Lambda's own limits, checked at synth time so mistakes fail before a deployment starts. */
const MAX_TIMEOUT_SECONDS = 900;
const MEMORY_MB = { min: 128, max: 10240 };

/** Validates a ResilientFunction's props and throws one error listing every problem. */
export function validateFunctionProps(scope: Construct, props: ResilientFunctionProps, derived: { timeout: Duration; createsQueue: boolean; profile: AlarmProfile }): void {
  const v = new PropsValidator(scope, 'ResilientFunction');
  if (props.entry === undefined && props.code === undefined) {
    v.fail('entry must name the handler file (e.g. path.join(__dirname, "handler.ts")), got undefined: unlike NodejsFunction, the entry cannot be guessed from the calling file');
  }
  const timeoutMs = derived.timeout.toMilliseconds();
  v.range('timeout (seconds)', timeoutMs / 1000, 1, MAX_TIMEOUT_SECONDS);
  v.integer('memorySize', props.memorySize, MEMORY_MB.min, MEMORY_MB.max);
  v.integer('reservedConcurrentExecutions', props.reservedConcurrentExecutions, 0);
  v.integer('retryAttempts', props.retryAttempts, 0, 2);
  if (props.maxEventAge) {
    v.range('maxEventAge (seconds)', props.maxEventAge.toSeconds(), 60, 6 * 3600);
  }
  v.check(!(props.logGroup && props.logRetention !== undefined), 'logRetention', props.logRetention,
    'left unset when logGroup is given (set the retention on your log group)');

  if (props.provisionedConcurrency) {
    validateProvisionedConcurrency(v, props.provisionedConcurrency, props.reservedConcurrentExecutions);
  }
  if (props.warming) {
    validateWarming(v, props);
  }
  validateAlarms(v, props, derived.createsQueue, derived.profile);
  v.throwIfInvalid();
}

function validateProvisionedConcurrency(v: PropsValidator, pc: ProvisionedConcurrency, reserved: number | undefined): void {
  const p = 'provisionedConcurrency';
  const fixed = pc.mode === ProvisionedConcurrencyMode.FIXED;
  v.integer(fixed ? `${p} (fixed executions)` : `${p}.minCapacity`, pc.minCapacity, 1);
  if (!fixed) {
    v.integer(`${p}.maxCapacity`, pc.maxCapacity, 1);
    if (isConcrete(pc.minCapacity) && isConcrete(pc.maxCapacity)) {
      v.check(pc.minCapacity <= pc.maxCapacity, `${p}.maxCapacity`, pc.maxCapacity, `>= minCapacity (${pc.minCapacity})`);
    }
  }
  if (pc.utilizationTarget !== undefined) {
    v.range(`${p}.utilizationTarget`, pc.utilizationTarget, 0.1, 0.9);
  }
  if (pc.mode === ProvisionedConcurrencyMode.SCHEDULED) {
    v.check(pc.schedules.length > 0, `${p}.schedules`, '[]', 'at least one window for ProvisionedConcurrency.scheduled()');
  }
  const names = new Set<string>();
  pc.schedules.forEach((window, i) => {
    const w = `${p}.schedules[${i}]`;
    v.check(/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(window.name), `${w}.name`, window.name, 'a letter followed by up to 63 letters, digits or dashes');
    v.check(!names.has(window.name), `${w}.name`, window.name, 'unique among the schedules');
    names.add(window.name);
    // aws-cdk#29992: a scheduled minimum of 0 leaves the alias without allocation and later deployments fail.
    v.integer(`${w}.minCapacity`, window.minCapacity, 1);
    v.integer(`${w}.maxCapacity`, window.maxCapacity, 1);
    if (isConcrete(window.minCapacity) && isConcrete(window.maxCapacity)) {
      v.check(window.minCapacity <= window.maxCapacity, `${w}.maxCapacity`, window.maxCapacity, `>= its minCapacity (${window.minCapacity})`);
    }
    v.check(window.minCapacity !== undefined || window.maxCapacity !== undefined, `${w}`, 'no capacity', 'given a minCapacity, a maxCapacity or both');
    const expression = window.schedule.expressionString;
    const problem = isConcrete(expression) ? scheduleExpressionProblem(expression) : undefined;
    if (problem) {
      v.fail(`${w}.schedule must be an AWS schedule expression, got ${JSON.stringify(expression)}: ${problem}`);
    }
  });
  if (isConcrete(reserved) && isConcrete(pc.peakCapacity)) {
    if (pc.peakCapacity > reserved) {
      v.fail(`provisionedConcurrency peak capacity must be <= reservedConcurrentExecutions (${reserved}), got ${pc.peakCapacity}: Lambda cannot keep more environments provisioned than the function may run`);
    }
  }
}

/** Largest warming concurrency: Lambda's default account concurrency, and what one warmer run can hold open. */
const MAX_WARM_CONCURRENCY = 1000;

function validateWarming(v: PropsValidator, props: ResilientFunctionProps): void {
  const warming = props.warming!;
  v.check(warming.schedules.length > 0, 'warming.schedules', '[]', 'at least one schedule (or leave warming unset)');
  const names = new Set<string>();
  warming.schedules.forEach((schedule, i) => {
    const w = `warming.schedules[${i}]`;
    v.check(/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(schedule.name), `${w}.name`, schedule.name, 'a letter followed by up to 63 letters, digits or dashes');
    v.check(!names.has(schedule.name), `${w}.name`, schedule.name, 'unique among the schedules');
    names.add(schedule.name);
    v.integer(`${w}.concurrency`, schedule.concurrency, 1, MAX_WARM_CONCURRENCY);
    const reserved = props.reservedConcurrentExecutions;
    if (isConcrete(reserved) && isConcrete(schedule.concurrency) && schedule.concurrency > reserved) {
      v.fail(`${w}.concurrency must be <= reservedConcurrentExecutions (${reserved}), got ${schedule.concurrency}: the function can never run that many instances at once`);
    }
    const expression = schedule.schedule.expressionString;
    const problem = isConcrete(expression) ? scheduleExpressionProblem(expression) : undefined;
    if (problem) {
      v.fail(`${w}.schedule must be an AWS schedule expression, got ${JSON.stringify(expression)}: ${problem}`);
    }
  });
}

function validateAlarms(v: PropsValidator, props: ResilientFunctionProps, createsQueue: boolean, profile: AlarmProfile): void {
  const a = props.alarms;
  if (!a) {
    return;
  }
  v.range('alarms.maxErrorRatePercent', a.maxErrorRatePercent, 0, 100);
  v.range('alarms.maxThrottles', a.maxThrottles, 0);
  v.range('alarms.maxDurationP99PercentOfTimeout', a.maxDurationP99PercentOfTimeout, 1, 100);
  v.range('alarms.maxProvisionedSpillover', a.maxProvisionedSpillover, 0);
  v.range('alarms.maxProvisionedUtilizationPercent', a.maxProvisionedUtilizationPercent, 1, 100);
  v.range('alarms.maxDeadLetterMessages', a.maxDeadLetterMessages, 0);
  v.range('alarms.maxAsyncDeliveryFailures', a.maxAsyncDeliveryFailures, 0);
  v.integer('alarms.minInvocations', a.minInvocations, 1);
  validateAlarmProfile(v, 'alarms.profile', a.profile);
  v.integer('alarms.evaluationPeriods', a.evaluationPeriods, 1);
  v.integer('alarms.datapointsToAlarm', a.datapointsToAlarm, 1);
  const periods = a.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods;
  if (isConcrete(a.datapointsToAlarm) && isConcrete(periods)) {
    v.check(a.datapointsToAlarm <= periods, 'alarms.datapointsToAlarm', a.datapointsToAlarm, `<= evaluationPeriods (${periods})`);
  }
  if (a.period) {
    const seconds = a.period.toSeconds();
    v.check([10, 30].includes(seconds) || (seconds >= 60 && seconds % 60 === 0), 'alarms.period (seconds)', seconds, '10, 30 or a multiple of 60');
  }
  const existing = applicableAlarms({ provisioned: props.provisionedConcurrency !== undefined, hasDeadLetterQueue: createsQueue }, profile);
  for (const kind of a.disable ?? []) {
    if (!existing.includes(kind)) {
      const why = Object.values(FunctionAlarm).includes(kind) ? 'alarms this function has' : 'FunctionAlarm values';
      v.fail(`alarms.disable names ${JSON.stringify(kind)}, which is not one of the ${why}: ${existing.join(', ')}`);
    }
  }
}
