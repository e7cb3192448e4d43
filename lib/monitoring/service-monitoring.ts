import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Stack-wide monitoring settings of the library: one place for what every resilient construct in a stack
 * shares (the alarm profile, the service dashboard, the service-health alarm).
 */
export interface ServiceMonitoringProps {
  /**
   * Whether the stack gets one CloudWatch dashboard with a row per resilient construct.
   * @default true
   */
  readonly dashboard?: boolean;
}

/**
 * The monitoring settings of one stack, created with defaults on first use.
 *
 * Call `ServiceMonitoring.configure(stack, {...})` before the stack's first resilient construct: the
 * constructs read these settings when they are created.
 */
export class ServiceMonitoring extends Construct {
  /** The stack's settings, created with defaults on first call. */
  public static of(scope: Construct): ServiceMonitoring {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ServiceMonitoring.ID);
    return existing instanceof ServiceMonitoring ? existing : new ServiceMonitoring(stack, ServiceMonitoring.ID, {});
  }

  /** Sets the stack's monitoring settings; throws when they were already set or already read. */
  public static configure(scope: Construct, props: ServiceMonitoringProps): ServiceMonitoring {
    const stack = Stack.of(scope);
    if (stack.node.tryFindChild(ServiceMonitoring.ID)) {
      throw new Error(`${stack.node.path}: ServiceMonitoring.configure() must be called once, before the stack's first resilient construct (they were already set, or read with their defaults by a construct created earlier)`);
    }
    return new ServiceMonitoring(stack, ServiceMonitoring.ID, props);
  }

  private static readonly ID = 'ResilientServiceMonitoring';

  /** Whether the stack's service dashboard is created. */
  public readonly dashboardEnabled: boolean;

  private constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    this.dashboardEnabled = props.dashboard ?? true;
  }
}
