/** Defaults, in one place so docs, validation and alarms agree. */
export const ALARM_DEFAULTS = {
  maxErrorRatePercent: 1,
  maxThrottles: 0,
  maxDurationP99PercentOfTimeout: 80,
  maxProvisionedSpillover: 0,
  maxProvisionedUtilizationPercent: 90,
  maxDeadLetterMessages: 0,
  maxAsyncDeliveryFailures: 0,
  minInvocations: 10,
  periodMinutes: 1,
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
};
