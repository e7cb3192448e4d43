import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlarmProfile } from './alarm-profile';
import { validateAlarmProfile } from './validate-profile';
import { PropsValidator } from '../private/validation';

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

  /**
   * The alarms of every resilient function and API of the stack; a construct's `alarms.profile` overrides it.
   * @default AlarmProfile.ESSENTIAL
   */
  readonly alarmProfile?: AlarmProfile;

  /**
   * Whether the stack gets one composite "service health" alarm over every alarm the library made, which
   * notifies the stack's alarm topic, so an outage that sets off many alarms pages once. Without it, each
   * alarm notifies the topic itself.
   * @default true
   */
  readonly serviceHealthAlarm?: boolean;

  /**
   * Whether every alarm also notifies the stack's alarm topic itself, as well as through the service-health
   * alarm: one notification per alarm (useful to route them to a ticketing system). A construct's own
   * `alarmTopic` is always notified by each of its alarms.
   * @default false
   */
  readonly notifyEachAlarm?: boolean;
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

  /** The stack's alarm profile. */
  public readonly alarmProfile: AlarmProfile;

  /** Whether the stack's service-health composite alarm is created. */
  public readonly serviceHealthAlarmEnabled: boolean;

  /** Whether each alarm notifies the stack's alarm topic itself. */
  public readonly notifyEachAlarm: boolean;

  private constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const v = new PropsValidator(this, 'ServiceMonitoring');
    validateAlarmProfile(v, 'alarmProfile', props.alarmProfile);
    v.throwIfInvalid();
    this.dashboardEnabled = props.dashboard ?? true;
    this.alarmProfile = props.alarmProfile ?? AlarmProfile.ESSENTIAL;
    this.serviceHealthAlarmEnabled = props.serviceHealthAlarm ?? true;
    this.notifyEachAlarm = props.notifyEachAlarm ?? false;
  }
}
