/**
 * Checks AWS schedule expressions (EventBridge, Application Auto Scaling) at synth time,
 * so a Unix-style 5-field cron fails in `cdk synth` instead of in CloudFormation.
 * Returns a reason when the expression is not valid, undefined when it is.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) {
    const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(rate[1].trim());
    if (!m || Number(m[1]) < 1) {
      return 'rate(...) needs a positive whole number and a unit: rate(1 minute), rate(5 minutes), rate(1 hour), rate(2 days)';
    }
    const singular = m[2].endsWith('s') === false;
    if ((Number(m[1]) === 1) !== singular) {
      return `rate(...) uses the singular unit for 1 and the plural otherwise, e.g. rate(1 ${m[2].replace(/s$/, '')}) or rate(5 ${m[2].replace(/s?$/, 's')})`;
    }
    return undefined;
  }
  if (/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expression)) {
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) {
    return 'an AWS schedule is cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)';
  }
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) {
    return `an AWS cron has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`;
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'exactly one of day-of-month and day-of-week must be "?" in an AWS cron';
  }
  const checks: Array<[string, string, RegExp]> = [
    ['minutes', minutes, /^[\d,\-*/]+$/],
    ['hours', hours, /^[\d,\-*/]+$/],
    ['day-of-month', dayOfMonth, /^([\d,\-*/?LW]+)$/],
    ['month', month, /^([\d,\-*/]+|[A-Za-z]{3}([-,][A-Za-z]{3})*)$/],
    ['day-of-week', dayOfWeek, /^([\d,\-*/?L#]+|[A-Za-z]{3}([-,][A-Za-z]{3})*)$/],
    ['year', year, /^[\d,\-*/]+$/],
  ];
  for (const [name, value, pattern] of checks) {
    if (!pattern.test(value)) {
      return `the ${name} field "${value}" is not valid in an AWS cron`;
    }
  }
  const ranges: Array<[string, string, number, number]> = [['minutes', minutes, 0, 59], ['hours', hours, 0, 23]];
  for (const [name, value, lo, hi] of ranges) {
    for (const n of value.split(/[,\-/]/).filter((v) => /^\d+$/.test(v))) {
      if (Number(n) < lo || Number(n) > hi) {
        return `the ${name} field "${value}" is outside ${lo}-${hi}`;
      }
    }
  }
  return undefined;
}
