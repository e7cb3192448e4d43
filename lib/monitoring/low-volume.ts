import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/*
 * Low-volume-safe alarm math. A period with fewer than `min` calls is never breaching: with 3 calls one
 * cold start is the p99 and one failure is a 33 % error rate. We gate on the call count rather than use a
 * trimmed mean (TM(0%:99%)): below 100 samples trimming the top 1 % removes nothing, so the cold start
 * still counts, and a mean would no longer compare with the timeout the way a p99 does.
 */

/** `IF(FILL(calls, 0) >= min, 100 * FILL(part, 0) / calls, 0)`: a percentage, 0 in quiet periods. */
export function rateGatedByVolume(partId: string, part: cloudwatch.IMetric, callsId: string, calls: cloudwatch.IMetric, min: number, label: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(FILL(${callsId}, 0) >= ${min}, 100 * FILL(${partId}, 0) / ${callsId}, 0)`,
    usingMetrics: { [partId]: part, [callsId]: calls },
    label,
    period,
  });
}

/** `IF(FILL(calls, 0) >= min, value, 0)`: the value (e.g. a p99), 0 in quiet periods. */
export function gatedByVolume(valueId: string, value: cloudwatch.IMetric, callsId: string, calls: cloudwatch.IMetric, min: number, label: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(FILL(${callsId}, 0) >= ${min}, ${valueId}, 0)`,
    usingMetrics: { [valueId]: value, [callsId]: calls },
    label,
    period,
  });
}

/** One term of a health expression: the signal above its threshold, a missing datapoint counting as 0. */
export function signalTerm(id: string, threshold: number): string {
  return `FILL(${id}, 0) > ${threshold}`;
}
