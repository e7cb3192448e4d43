import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BREAKER_CIRCUITS_ENV, BREAKER_METRIC, BREAKER_TABLE_ENV, BREAKER_TTL_ATTRIBUTE, CIRCUIT_NAME_PATTERN, CIRCUIT_NAME_RULE, METRIC_NAMESPACE } from '../contract';
import type { ResilientFunction } from '../function/resilient-function';
import { circuitRow } from '../monitoring/dashboard/circuit-row';
import { trackOnDashboard } from '../monitoring/dashboard/service-dashboard';
import { PropsValidator } from '../private/validation';

/** The item operations the breaker runtime performs; nothing else is granted. */
const BREAKER_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];

const CIRCUIT_NAME = new RegExp(CIRCUIT_NAME_PATTERN);

/** Props of a CircuitBreakerTable. */
export interface CircuitBreakerTableProps {
  /**
   * Customer-managed KMS key for the table.
   * @default - encrypted with the AWS-managed key for DynamoDB
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the table when it leaves the stack. Breaker state is transient (counters, leases):
   * losing it only resets every circuit to CLOSED.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Point-in-time recovery.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;

  /**
   * Adopt an existing table (partition key `pk`, type string) instead of creating one; the other
   * props are then ignored.
   * @default - a new table
   */
  readonly existingTable?: dynamodb.ITable;
}

/** Options for granting a function use of the breaker table. */
export interface CircuitBreakerGrantOptions {
  /**
   * The circuit names the function may use. When given, IAM restricts the function to exactly these
   * items (`dynamodb:LeadingKeys`) and an alarm is created per circuit.
   * @default - any circuit; one alarm on any circuit of the function opening
   */
  readonly circuits?: string[];

  /**
   * Create the "circuit opened" alarm(s) on the function.
   * @default true
   */
  readonly alarm?: boolean;
}

/** How a ResilientFunction uses a breaker table (the `circuitBreaker` prop). */
export interface CircuitBreakerBinding extends CircuitBreakerGrantOptions {
  /** The table that holds breaker state. */
  readonly table: CircuitBreakerTable;
}

/**
 * The DynamoDB table that holds circuit breaker state shared by every instance of every function
 * that uses it: one item per circuit (partition key `pk`, the circuit name).
 *
 * On-demand billing, point-in-time recovery, encryption and a TTL attribute (idle circuits expire).
 */
export class CircuitBreakerTable extends Construct {
  /** Adopts an existing table (partition key `pk` of type string) as breaker store. */
  public static fromTable(scope: Construct, id: string, table: dynamodb.ITable): CircuitBreakerTable {
    return new CircuitBreakerTable(scope, id, { existingTable: table });
  }

  /** The table. */
  public readonly table: dynamodb.ITable;

  /** Name of the table. */
  public readonly tableName: string;

  constructor(scope: Construct, id: string, props: CircuitBreakerTableProps = {}) {
    super(scope, id);
    this.table = props.existingTable ?? new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true },
      encryption: props.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: BREAKER_TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.tableName = this.table.tableName;
  }

  /**
   * Lets a function use the breaker: least-privilege item access (only the operations the runtime
   * performs, only the given circuits), the table name in `RESILIENT_BREAKER_TABLE`, and an alarm
   * when a circuit opens, wired to the function's alarm actions.
   */
  public grantBreaker(fn: ResilientFunction, options: CircuitBreakerGrantOptions = {}): iam.Grant {
    const circuits = options.circuits;
    const v = new PropsValidator(this, 'CircuitBreakerTable');
    if (circuits) {
      v.check(circuits.length > 0, `grantBreaker(${fn.node.path}).circuits`, '[]', 'at least one circuit name, or left unset for any circuit');
      circuits.forEach((name, i) => v.check(CIRCUIT_NAME.test(name), `grantBreaker(${fn.node.path}).circuits[${i}]`, name,
        CIRCUIT_NAME_RULE));
      v.check(new Set(circuits).size === circuits.length, `grantBreaker(${fn.node.path}).circuits`, circuits, 'free of duplicates');
    }
    v.throwIfInvalid();

    const grant = iam.Grant.addToPrincipal({
      grantee: fn,
      actions: BREAKER_ACTIONS,
      resourceArns: [this.table.tableArn],
      conditions: circuits ? { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': circuits } } : undefined,
    });
    this.table.encryptionKey?.grantEncryptDecrypt(fn);
    fn.addEnvironment(BREAKER_TABLE_ENV, this.table.tableName);
    if (circuits) {
      fn.addEnvironment(BREAKER_CIRCUITS_ENV, circuits.join(','));
    }
    if (options.alarm ?? true) {
      for (const circuit of circuits ?? [undefined]) {
        fn.addAlarm(this.openedAlarm(fn, circuit));
      }
    }
    trackOnDashboard(this, circuitRow(this, fn, circuits));
    return grant;
  }

  /** Times a circuit of the function opened (the runtime publishes it once per opening, fleet-wide). */
  public metricCircuitOpened(fn: ResilientFunction, circuit?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: BREAKER_METRIC.OPENED,
      dimensionsMap: { FunctionName: fn.function.functionName, ...(circuit ? { Circuit: circuit } : {}) },
      statistic: 'Sum',
      period: Duration.minutes(1),
      ...props,
    });
  }

  private openedAlarm(fn: ResilientFunction, circuit: string | undefined): cloudwatch.Alarm {
    return new cloudwatch.Alarm(fn, circuit ? `CircuitOpened-${circuit}` : 'CircuitOpened', {
      metric: this.metricCircuitOpened(fn, circuit),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Circuit ${circuit ? `"${circuit}"` : '(any)'} of ${fn.node.path} opened: its downstream is failing`,
    });
  }
}
