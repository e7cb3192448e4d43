import { RemovalPolicy, ResourceEnvironment, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, Node } from 'constructs';

/**
 * A `lambda.IFunction` that is a function together with its `live` alias, the way aws-cdk-lib's own
 * `lambda.Alias` is one: everything a trigger, grant or metric needs resolves to the alias, so a caller
 * wired through this interface never invokes $LATEST. The function-wide parts (role, architecture,
 * VPC, removal policy) are the function's.
 */
export abstract class LiveAliasFunction extends Construct implements lambda.IFunction {
  /** The underlying function (escape hatch). */
  public abstract readonly function: lambda.Function;

  /** The `live` alias over the current version; grants, routes, rules and warmers target it. */
  public abstract readonly alias: lambda.Alias;

  /** The `live` alias's name as other services take it: `<function name>:live`. */
  public get functionName(): string {
    return this.alias.functionName;
  }

  /** The `live` alias's ARN (the qualified function ARN). */
  public get functionArn(): string {
    return this.alias.functionArn;
  }

  /** A reference to the `live` alias, for L1 constructs. */
  public get functionRef(): lambda.FunctionReference {
    return this.alias.functionRef;
  }

  /** ARNs a grant to invoke this function covers: the `live` alias. */
  public get resourceArnsForGrantInvoke(): string[] {
    return this.alias.resourceArnsForGrantInvoke;
  }

  /** Where resource policy statements (permissions) of the `live` alias live. */
  public get permissionsNode(): Node {
    return this.alias.permissionsNode;
  }

  /** The principal the function runs as. */
  public get grantPrincipal(): iam.IPrincipal {
    return this.function.grantPrincipal;
  }

  /** The execution role. */
  public get role(): iam.IRole | undefined {
    return this.function.role;
  }

  /** The function's instruction set architecture. */
  public get architecture(): lambda.Architecture {
    return this.function.architecture;
  }

  /** Whether the function runs in a VPC. */
  public get isBoundToVpc(): boolean {
    return this.function.isBoundToVpc;
  }

  /** The function's tenant isolation, if any. */
  public get tenancyConfig(): lambda.TenancyConfig | undefined {
    return this.function.tenancyConfig;
  }

  /** The function's security groups; only a function in a VPC has them. */
  public get connections(): ec2.Connections {
    return this.function.connections;
  }

  /** $LATEST of the function; nothing this construct wires uses it. */
  public get latestVersion(): lambda.IVersion {
    return this.function.latestVersion;
  }

  /** The stack the function belongs to. */
  public get stack(): Stack {
    return this.function.stack;
  }

  /** The account and region the function belongs to. */
  public get env(): ResourceEnvironment {
    return this.function.env;
  }

  /** Lets the grantee invoke the `live` alias (and only the alias). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.alias.grantInvoke(grantee);
  }

  /** Lets the grantee invoke the `live` alias's function URL. */
  public grantInvokeUrl(grantee: iam.IGrantable): iam.Grant {
    return this.alias.grantInvokeUrl(grantee);
  }

  /** Lets every principal of a composite invoke the `live` alias. */
  public grantInvokeCompositePrincipal(compositePrincipal: iam.CompositePrincipal): iam.Grant[] {
    return this.alias.grantInvokeCompositePrincipal(compositePrincipal);
  }

  /** Lets the grantee invoke $LATEST, which bypasses the alias: only for a caller that must. */
  public grantInvokeLatestVersion(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvokeLatestVersion(grantee);
  }

  /** Lets the grantee invoke one version of the function. */
  public grantInvokeVersion(grantee: iam.IGrantable, version: lambda.IVersion): iam.Grant {
    return this.function.grantInvokeVersion(grantee, version);
  }

  /** Lets a principal invoke the `live` alias (a resource policy statement on the alias). */
  public addPermission(id: string, permission: lambda.Permission): void {
    this.alias.addPermission(id, permission);
  }

  /** Adds a statement to the execution role. */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.function.addToRolePolicy(statement);
  }

  /** An event source mapping (SQS, Kinesis, DynamoDB Streams, Kafka, MQ) that invokes the `live` alias. */
  public addEventSourceMapping(id: string, options: lambda.EventSourceMappingOptions): lambda.EventSourceMapping {
    return this.alias.addEventSourceMapping(id, options);
  }

  /** Binds an event source (`aws-lambda-event-sources`) to the `live` alias. */
  public addEventSource(source: lambda.IEventSource): void {
    this.alias.addEventSource(source);
  }

  /** Async-invocation settings of the `live` alias. */
  public configureAsyncInvoke(options: lambda.EventInvokeConfigOptions): void {
    this.alias.configureAsyncInvoke(options);
  }

  /** A function URL that invokes the `live` alias. */
  public addFunctionUrl(options?: lambda.FunctionUrlOptions): lambda.FunctionUrl {
    return this.alias.addFunctionUrl(options);
  }

  /** Applies a removal policy to the function. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.function.applyRemovalPolicy(policy);
  }

  /** A metric of the `live` alias. */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metric(metricName, props);
  }

  /** Invocations of the `live` alias. */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricInvocations(props);
  }

  /** Errors of the `live` alias. */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricErrors(props);
  }

  /** Throttles of the `live` alias. */
  public metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricThrottles(props);
  }

  /** Duration of the `live` alias. */
  public metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricDuration(props);
  }
}
