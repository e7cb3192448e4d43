import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LiveAliasFunction } from './live-alias-function';
import { ProvisionedConcurrency, ProvisionedConcurrencyMode } from './provisioned-concurrency';
import { InProcessBundling } from '../bundling/nodejs-function-props';
import type { CircuitBreakerBinding } from '../circuit-breaker/circuit-breaker-table';
import { validateFunctionProps } from './validate-props';
import { InlinePolicyRole } from './inline-policy-role';
import { FunctionAlarm, FunctionAlarmsOptions } from '../monitoring/alarm-options';
import { AlarmProfile } from '../monitoring/alarm-profile';
import { AlarmSet } from '../monitoring/alarm-set';
import { functionRow } from '../monitoring/dashboard/function-row';
import { trackOnDashboard } from '../monitoring/dashboard/service-dashboard';
import { createFunctionAlarms } from '../monitoring/function-alarms';
import { ServiceMonitoring } from '../monitoring/service-monitoring';
import { acknowledgeNagRule } from '../private/nag';
import { Warmer } from '../warmer/warmer';
import type { WarmingOptions } from '../warmer/warming-options';

/** Name of the alias every integration invokes. */
export const LIVE_ALIAS_NAME = 'live';

/**
 * Props of a ResilientFunction: everything NodejsFunction takes, plus production defaults.
 *
 * Async-invocation settings (`onFailure`, `onSuccess`, `maxEventAge`, `retryAttempts`) are applied to
 * the `live` alias, which is what every trigger invokes, instead of to $LATEST.
 */
export interface ResilientFunctionProps extends nodejs.NodejsFunctionProps {
  /**
   * Provisioned concurrency on the `live` alias: `ProvisionedConcurrency.fixed(n)`,
   * `.autoscaled({...})` or `.scheduled({...})`.
   * @default - no provisioned concurrency
   */
  readonly provisionedConcurrency?: ProvisionedConcurrency;

  /**
   * Alarm profile, thresholds and switches.
   * @default - the stack's alarm profile (`ServiceMonitoring`), every applicable signal with its default threshold
   */
  readonly alarms?: FunctionAlarmsOptions;

  /**
   * Topic every alarm of this function notifies itself (as well as joining the stack's service-health alarm).
   * @default - no topic of its own: the stack's service-health alarm notifies the stack's alarm topic
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Circuit breaker state shared through a CircuitBreakerTable: grants least-privilege access to the
   * given circuits, sets `RESILIENT_BREAKER_TABLE`, and alarms when a circuit opens.
   * @default - no circuit breaker table
   */
  readonly circuitBreaker?: CircuitBreakerBinding;

  /**
   * Scheduled warming of the `live` alias by the stack's Warmer: each schedule keeps its own number of
   * distinct environments warm. Wrap the handler with `withResilience` from `cdk-resilient-serverless/runtime`.
   * @default - not warmed
   */
  readonly warming?: WarmingOptions;
}

/**
 * A Node.js Lambda function that is production-ready by default.
 *
 * Bundled with esbuild like NodejsFunction, but inside the synth process through esbuild's JavaScript
 * API (one `npx esbuild` process per function is what makes large apps slow to synthesize); the bundle
 * is the same NodejsFunction would build. Options only NodejsFunction can honour (`nodeModules`,
 * `commandHooks`, `preCompilation`, Docker bundling, `bundling.environment`, see
 * `InProcessBundling.FALLBACKS`) make that function fall back to NodejsFunction's own bundling.
 * `bundling.charset` is honoured (NodejsFunction ignores it: aws/aws-cdk#32649).
 *
 * It adds a `live` alias over `currentVersion` that every
 * integration targets, optional provisioned concurrency on that alias (fixed, autoscaled, scheduled),
 * X-Ray tracing, a log group with retention, a least-privilege role, a failed-event queue for async
 * invocations, and alarms on errors, throttles, duration and provisioned concurrency.
 *
 * It is a `lambda.IFunction` backed by the `live` alias, so it goes wherever aws-cdk-lib takes a function
 * (`LambdaIntegration`, `addEventSource`, event and scheduler targets, S3 notifications, Step Functions,
 * `addFunctionUrl`), and every one of them invokes the alias, never $LATEST. `function` is the escape
 * hatch to the unqualified function.
 */
export class ResilientFunction extends LiveAliasFunction {
  /** The underlying function (escape hatch). */
  public readonly function: lambda.Function;

  /** The `live` alias over the current version; grants, routes, rules and warmers target it. */
  public readonly alias: lambda.Alias;

  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;

  /** The queue that receives async invocations that failed every retry, when the library created one. */
  public readonly deadLetterQueue?: sqs.IQueue;

  /** Provisioned concurrency settings, if any. */
  public readonly provisionedConcurrency?: ProvisionedConcurrency;

  /** The autoscaling target of the alias's provisioned concurrency, when autoscaled or scheduled. */
  public readonly scalableTarget?: lambda.IScalableFunctionAttribute;

  /** The function timeout. */
  public readonly timeout: Duration;

  /** The alarm profile this function's alarms follow. */
  public readonly alarmProfile: AlarmProfile;

  private readonly alarmSet: AlarmSet<FunctionAlarm>;

  constructor(scope: Construct, id: string, props: ResilientFunctionProps) {
    super(scope, id);

    // Validate: every problem of the props in one error.
    const timeout = props.timeout ?? Duration.seconds(10);
    const createsQueue = props.deadLetterQueueEnabled !== false && !props.deadLetterQueue && !props.deadLetterTopic;
    const profile = props.alarms?.profile ?? ServiceMonitoring.of(this).alarmProfile;
    validateFunctionProps(this, props, { timeout, createsQueue, profile });

    // Build.
    this.timeout = timeout;
    this.provisionedConcurrency = props.provisionedConcurrency;
    this.logGroup = props.logGroup as logs.ILogGroup | undefined ?? new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    const role = props.role ?? this.createRole();
    this.deadLetterQueue = createsQueue ? new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    }) : props.deadLetterQueue;
    if (createsQueue) {
      acknowledgeNagRule(this.deadLetterQueue!, 'Serverless-SQSRedrivePolicy',
        'This queue is itself the dead-letter target of the function; its depth is alarmed and its messages are kept 14 days for replay.');
    }

    const sourceMap = props.bundling?.sourceMap ?? true;
    const { onFailure, onSuccess, maxEventAge, retryAttempts, logRetention: _ignored, provisionedConcurrency: _pc, alarms: _a, alarmTopic: _t, circuitBreaker, warming, ...functionProps } = props;
    // Bundled in this process with esbuild's JavaScript API (same output as NodejsFunction, without one
    // `npx esbuild` process per function); options only NodejsFunction can honour fall back to it.
    this.function = new nodejs.NodejsFunction(this, 'Function', InProcessBundling.nodejsFunctionProps(this, {
      ...functionProps,
      runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout,
      tracing: props.tracing ?? lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        ...(sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
      bundling: { minify: true, sourceMap, ...props.bundling },
    }));

    // aws-cdk-lib < 2.262 rejects an unresolved token here (it compares the token's number with 0):
    // a token goes onto the CfnAlias directly.
    const minPc = props.provisionedConcurrency?.minCapacity;
    const minPcIsToken = minPc !== undefined && Token.isUnresolved(minPc);
    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: LIVE_ALIAS_NAME,
      version: this.function.currentVersion,
      provisionedConcurrentExecutions: minPcIsToken ? undefined : minPc,
    });
    if (minPcIsToken) {
      (this.alias.node.defaultChild as lambda.CfnAlias).provisionedConcurrencyConfig = { provisionedConcurrentExecutions: minPc };
    }
    this.alias.configureAsyncInvoke({
      onFailure: onFailure ?? this.defaultFailureDestination(props),
      onSuccess,
      maxEventAge,
      retryAttempts,
    });
    if (props.provisionedConcurrency && props.provisionedConcurrency.mode !== ProvisionedConcurrencyMode.FIXED) {
      this.scalableTarget = this.configureAutoscaling(props.provisionedConcurrency);
    }

    // Wire: alarms join the stack's service health (and notify the function's own topic, if given).
    this.alarmProfile = profile;
    this.alarmSet = new AlarmSet(this, props.alarmTopic);
    createFunctionAlarms(this.alarmSet, {
      alias: this.alias,
      timeout,
      provisioned: props.provisionedConcurrency !== undefined,
      deadLetterQueue: createsQueue ? this.deadLetterQueue : undefined,
    }, props.alarms ?? {}, profile);
    circuitBreaker?.table.grantBreaker(this, circuitBreaker);
    if (warming) {
      Warmer.of(this).addTarget(this, warming);
    }
    this.acknowledgeInherentFindings(props);
    trackOnDashboard(this, functionRow(this));
  }

  /**
   * The topic this function's alarms reach, once it has an alarm: its own `alarmTopic`, or the stack's alarm
   * topic, which the service-health alarm notifies.
   */
  public get alarmTopic(): sns.ITopic | undefined {
    return this.alarmSet.topic;
  }

  /** Every alarm of this function, including ones other library constructs attached. */
  public get alarms(): cloudwatch.Alarm[] {
    return this.alarmSet.alarms;
  }

  /** The alarm of one kind, if it exists (it may be disabled, not apply to this function, or belong to the other profile). */
  public alarm(kind: FunctionAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.alarm(kind);
  }

  /** Adds an action to every alarm of this function, present and future. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.alarmSet.addAlarmAction(...actions);
  }

  /**
   * Adopts an alarm about this function (e.g. a circuit opened): it gets this function's alarm actions and
   * joins the stack's service-health alarm.
   */
  public addAlarm(alarm: cloudwatch.Alarm): void {
    this.alarmSet.add(alarm);
  }

  /**
   * Async-invocation settings of the `live` alias. ResilientFunction configures them already (failed events
   * go to its queue): pass `onFailure`, `onSuccess`, `maxEventAge` and `retryAttempts` as props instead.
   */
  public override configureAsyncInvoke(_options: lambda.EventInvokeConfigOptions): void {
    throw new Error(`${this.node.path}: configureAsyncInvoke() cannot change the async-invocation settings of the live alias, which ResilientFunction sets (failed events go to its queue); pass onFailure, onSuccess, maxEventAge or retryAttempts as props instead`);
  }

  /** Adds an environment variable to the function. */
  public addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }

  /** Fraction (0–1) of the alias's provisioned concurrency in use. */
  public metricProvisionedConcurrencyUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metric('ProvisionedConcurrencyUtilization', { statistic: 'Maximum', ...props });
  }

  /** Invocations of the alias that ran outside provisioned concurrency. */
  public metricProvisionedConcurrencySpilloverInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metric('ProvisionedConcurrencySpilloverInvocations', { statistic: 'Sum', ...props });
  }

  private createRole(): iam.Role {
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): write to this function's group only.
    const role = new InlinePolicyRole(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [(this.logGroup as logs.ILogGroup).logGroupArn],
    }));
    return role;
  }

  private defaultFailureDestination(props: ResilientFunctionProps): lambda.IDestination | undefined {
    if (this.deadLetterQueue) {
      return new destinations.SqsDestination(this.deadLetterQueue);
    }
    return props.deadLetterTopic ? new destinations.SnsDestination(props.deadLetterTopic) : undefined;
  }

  private configureAutoscaling(pc: ProvisionedConcurrency): lambda.IScalableFunctionAttribute {
    const scaling = this.alias.addAutoScaling({ minCapacity: pc.minCapacity, maxCapacity: pc.maxCapacity });
    if (pc.utilizationTarget !== undefined) {
      scaling.scaleOnUtilization({
        utilizationTarget: pc.utilizationTarget,
        scaleInCooldown: pc.scaleInCooldown,
        scaleOutCooldown: pc.scaleOutCooldown,
      });
    }
    for (const window of pc.schedules) {
      scaling.scaleOnSchedule(window.name, {
        schedule: window.schedule,
        minCapacity: window.minCapacity,
        maxCapacity: window.maxCapacity,
        timeZone: window.timeZone,
      });
    }
    return scaling;
  }

  private acknowledgeInherentFindings(props: ResilientFunctionProps): void {
    if (props.role || (props.tracing !== undefined && props.tracing !== lambda.Tracing.ACTIVE)) {
      return;
    }
    const reason = 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html); every other statement of this role is scoped to its resources.';
    acknowledgeNagRule(this.function.role!, 'AwsSolutions-IAM5[Resource::*]', reason);
    acknowledgeNagRule(this.function.role!, 'Serverless-StarPermissions', reason);
    // The role's statements are inline (one resource less per function), where this coarser rule sees them.
    acknowledgeNagRule(this.function.role!, 'Serverless-LambdaStarPermissions', reason);
  }
}
