import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { WarmingOptions } from './warming-options';
import { METRIC_NAMESPACE, WARMER_METRIC, WarmerEvent } from '../contract';
import { LIVE_ALIAS_NAME, ResilientFunction } from '../function/resilient-function';
import { trackOnDashboard } from '../monitoring/dashboard/service-dashboard';
import { warmerRow } from '../monitoring/dashboard/warmer-row';

/** Warning id users acknowledge when provisioned concurrency already covers a warming schedule. */
export const WARMER_COVERED_WARNING = 'cdk-resilient-serverless:warmerCoveredByProvisionedConcurrency';

/**
 * Where `npm run build` puts the pre-bundled warmer handler. `lib/` (sources) and `dist/` (compiled)
 * sit side by side, so the same relative path works from both.
 */
const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'dist', 'handlers', 'warmer');

/**
 * The stack's warmer: a library-owned function that, on each schedule, invokes a target alias with N
 * concurrent warm-up calls held open together so they occupy N distinct execution environments, tops
 * up any shortfall, and publishes requested / distinct / cold-start metrics per target.
 *
 * One per stack, created on first use by a ResilientFunction with `warming`.
 */
export class Warmer extends Construct {
  /** The stack's warmer, created on first call. */
  public static of(scope: Construct): Warmer {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(Warmer.ID);
    return existing instanceof Warmer ? existing : new Warmer(stack, Warmer.ID);
  }

  private static readonly ID = 'ResilientWarmer';

  /** The warmer function (itself a ResilientFunction: alias, DLQ, alarms). */
  public readonly function: ResilientFunction;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    if (!fs.existsSync(HANDLER_BUNDLE)) {
      // Only a source checkout can get here: the packed package always ships dist/handlers.
      throw new Error(`${this.node.path}: the pre-bundled warmer handler is missing at ${HANDLER_BUNDLE}. In a clone of cdk-resilient-serverless run \`npm run build:assets\` (npm start and npm test run it).`);
    }
    this.function = new ResilientFunction(this, 'Function', {
      description: 'cdk-resilient-serverless warmer: keeps N distinct execution environments of each target warm',
      code: lambda.Code.fromAsset(HANDLER_BUNDLE),
      handler: 'index.handler',
      memorySize: 256,
      // A round holds its calls 1 s + 20 ms per call and a top-up doubles that: two minutes leave room for
      // a first round and a top-up even at the largest concurrency (1000: 21 s + 42 s).
      timeout: Duration.minutes(2),
      // A retried or late warm-up is worthless: the next schedule does the job.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
    });
  }

  /**
   * Warms a function's `live` alias on the given schedules. Schedules that provisioned concurrency
   * already covers are skipped with an acknowledgeable warning.
   */
  public addTarget(fn: ResilientFunction, options: WarmingOptions): void {
    if (options.enabled === false) {
      return;
    }
    const provisioned = fn.provisionedConcurrency?.minCapacity ?? 0;
    let warmed = false;
    for (const schedule of options.schedules) {
      if (provisioned >= schedule.concurrency) {
        Annotations.of(fn).addWarningV2(WARMER_COVERED_WARNING,
          `warming schedule "${schedule.name}" (concurrency ${schedule.concurrency}) is skipped: provisioned concurrency (at least ${provisioned}) already keeps that many environments initialized`);
        continue;
      }
      const input: WarmerEvent = { targets: [{ functionArn: fn.functionArn, concurrency: schedule.concurrency }] };
      new events.Rule(fn, `Warming-${schedule.name}`, {
        description: `Warms ${schedule.concurrency} instances of ${fn.node.path}`,
        schedule: schedule.schedule,
        targets: [new targets.LambdaFunction(this.function, {
          event: events.RuleTargetInput.fromObject(input),
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
          deadLetterQueue: this.function.deadLetterQueue,
        })],
      });
      warmed = true;
    }
    if (!warmed) {
      return;
    }
    fn.grantInvoke(this.function);
    if (options.shortfallAlarm ?? true) {
      fn.addAlarm(this.shortfallAlarm(fn));
    }
    trackOnDashboard(fn, warmerRow(this, fn));
  }

  /** A warmer metric of one target (`Requested`, `Distinct` or `Cold`). */
  public metricForTarget(fn: ResilientFunction, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { Target: `${fn.function.functionName}:${LIVE_ALIAS_NAME}` },
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...props,
    });
  }

  private shortfallAlarm(fn: ResilientFunction): cloudwatch.Alarm {
    return new cloudwatch.Alarm(fn, 'WarmingShortfall', {
      metric: new cloudwatch.MathExpression({
        expression: 'requested - distinct',
        usingMetrics: {
          requested: this.metricForTarget(fn, WARMER_METRIC.REQUESTED),
          distinct: this.metricForTarget(fn, WARMER_METRIC.DISTINCT),
        },
        label: 'Instances requested but not warmed',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `The warmer warmed fewer distinct instances of ${fn.node.path} than requested in consecutive runs`,
    });
  }
}
