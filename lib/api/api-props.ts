import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiAlarmsOptions } from './api-alarm-options';
import { RouteAuth } from './route-auth';
import { ApiCorsOptions, ThrottleLimits } from './route-options';

/** Props both API kinds share. */
export interface ResilientApiBaseProps {
  /**
   * Name of the API.
   * @default - a unique name derived from the construct path
   */
  readonly apiName?: string;

  /**
   * Description of the API.
   * @default - none
   */
  readonly description?: string;

  /**
   * Authorization of routes that name none. Unset, every route must pass `auth`; `RouteAuth.none()` here
   * makes every route public unless it says otherwise.
   * @default - none: each route must choose
   */
  readonly defaultAuth?: RouteAuth;

  /**
   * Stage-wide rate limits; routes may override them.
   * @default { rateLimit: 1000, burstLimit: 2000 }
   */
  readonly throttle?: ThrottleLimits;

  /**
   * Cross-origin resource sharing for browser callers.
   * @default - no CORS
   */
  readonly cors?: ApiCorsOptions;

  /**
   * Log group of the JSON access logs.
   * @default - a new log group with `logRetention`
   */
  readonly accessLogGroup?: logs.ILogGroup;

  /**
   * Retention of the access log group the construct creates.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Alarm profile, thresholds and switches.
   * @default - the stack's alarm profile (`ServiceMonitoring`); 5XX rate above 1% and p99 latency above 3 s; no 4XX alarm
   */
  readonly alarms?: ApiAlarmsOptions;

  /**
   * Topic every alarm of this API notifies itself (as well as joining the stack's service-health alarm).
   * @default - no topic of its own: the stack's service-health alarm notifies the stack's alarm topic
   */
  readonly alarmTopic?: sns.ITopic;
}
