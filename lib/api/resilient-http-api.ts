import { Annotations, Lazy, Names } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ApiAlarm } from './api-alarm-options';
import { createApiAlarms } from './api-alarms';
import { ResilientApiBaseProps } from './api-props';
import { registerRoute, RouteRegistry, validateApiBaseProps, validateRoute } from './api-validation';
import { httpAccessLogFormat } from './access-log-format';
import { accessLogGroupFor, DEFAULT_STAGE_THROTTLE, resolveCors } from './api-defaults';
import { RouteAuth, RouteAuthKind } from './route-auth';
import { acknowledgeRouteAuth } from './route-nag';
import { RouteOptions, ThrottleLimits } from './route-options';
import { ResilientFunction } from '../function/resilient-function';
import { AlarmProfile } from '../monitoring/alarm-profile';
import { AlarmSet } from '../monitoring/alarm-set';
import { ServiceMonitoring } from '../monitoring/service-monitoring';
import { httpApiRow } from '../monitoring/dashboard/api-row';
import { trackOnDashboard } from '../monitoring/dashboard/service-dashboard';
import { PropsValidator } from '../private/validation';

/** Props of a ResilientHttpApi. */
export interface ResilientHttpApiProps extends ResilientApiBaseProps {
  /**
   * Per-route CloudWatch metrics (billed per metric).
   * @default false
   */
  readonly detailedMetrics?: boolean;
}

/**
 * An API Gateway HTTP API (payload format 2.0 events) whose routes invoke ResilientFunction `live` aliases.
 *
 * Defaults: `$default` stage with auto-deploy, stage throttling with per-route overrides, JSON access logs
 * with retention, alarms on 5XX rate and p99 latency. HTTP APIs are always regional and have neither X-Ray
 * tracing, execution logs, request validation nor API keys; routes that ask for a REST-only option fail
 * at synth time. Route authorization: `RouteAuth.none()`, `iam()`, `cognito()` (as a JWT authorizer for the
 * pool), `jwt()` and `lambdaAuthorizer()`. With `cors`, API Gateway answers preflights and adds CORS headers to
 * every response.
 *
 * @example
 * const api = new ResilientHttpApi(this, 'Api', {
 *   defaultAuth: RouteAuth.jwt({ issuer: 'https://example.auth0.com/', audience: ['orders-api'] }),
 * });
 * api.addRoute('GET', '/orders/{id}', getOrder);
 * api.addRoute('GET', '/health', health, { auth: RouteAuth.none() });
 */
export class ResilientHttpApi extends Construct {
  /** The underlying HTTP API (escape hatch). */
  public readonly httpApi: apigwv2.HttpApi;

  /** The `$default` stage. */
  public readonly stage: apigwv2.HttpStage;

  /** The log group of the JSON access logs. */
  public readonly accessLogGroup: logs.ILogGroup;

  /** The alarm profile this API's alarms follow. */
  public readonly alarmProfile: AlarmProfile;

  private readonly props: ResilientHttpApiProps;
  private readonly registry: RouteRegistry = { keys: new Set(), variableByParent: new Map() };
  private readonly routeThrottles = new Map<string, ThrottleLimits>();
  private readonly authorizers = new Map<RouteAuth, apigwv2.IHttpRouteAuthorizer>();
  private readonly integrations = new Map<ResilientFunction, integrations.HttpLambdaIntegration>();
  private readonly alarmSet: AlarmSet<ApiAlarm>;

  constructor(scope: Construct, id: string, props: ResilientHttpApiProps = {}) {
    super(scope, id);
    this.props = props;
    const v = new PropsValidator(this, 'ResilientHttpApi');
    validateApiBaseProps(v, props);
    v.throwIfInvalid();

    this.accessLogGroup = accessLogGroupFor(this, props);
    const cors = props.cors ? resolveCors(props.cors) : undefined;
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: props.description,
      createDefaultStage: false,
      corsPreflight: cors ? {
        allowOrigins: cors.allowOrigins,
        allowMethods: cors.allowMethods.map((m) => m as apigwv2.CorsHttpMethod),
        allowHeaders: cors.allowHeaders,
        allowCredentials: cors.allowCredentials,
        maxAge: cors.maxAge,
      } : undefined,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_STAGE_THROTTLE,
      detailedMetricsEnabled: props.detailedMetrics ?? false,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: httpAccessLogFormat(),
      },
    });
    // Route limits live in the stage's RouteSettings, keyed by route key; the L2 has no per-route setter,
    // and a raw override is needed because CloudFormation's casing is not applied to a lazy map.
    (this.stage.node.defaultChild as apigwv2.CfnStage).addPropertyOverride('RouteSettings', Lazy.any({
      produce: () => this.routeThrottles.size === 0 ? undefined : Object.fromEntries([...this.routeThrottles].map(([key, limits]) => [key, {
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
      }])),
    }));

    this.alarmProfile = props.alarms?.profile ?? ServiceMonitoring.of(this).alarmProfile;
    this.alarmSet = new AlarmSet(this, props.alarmTopic);
    createApiAlarms(this.alarmSet, this.node.path, {
      count: (o) => this.stage.metric('Count', o),
      serverErrors: (o) => this.stage.metricServerError(o),
      clientErrors: (o) => this.stage.metricClientError(o),
      latency: (o) => this.stage.metricLatency(o),
    }, props.alarms ?? {}, this.alarmProfile);
    trackOnDashboard(this, httpApiRow(this));
  }

  /** The URL of the `$default` stage. */
  public get url(): string {
    return this.stage.url;
  }

  /**
   * The topic this API's alarms reach, unless alarms are off: its own `alarmTopic`, or the stack's alarm
   * topic, which the service-health alarm notifies.
   */
  public get alarmTopic(): sns.ITopic | undefined {
    return this.alarmSet.topic;
  }

  /** Every alarm of this API. */
  public get alarms(): cloudwatch.Alarm[] {
    return this.alarmSet.alarms;
  }

  /** The alarm of one kind, if it exists. */
  public alarm(kind: ApiAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.alarm(kind);
  }

  /** Adds an action to every alarm of this API. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.alarmSet.addAlarmAction(...actions);
  }

  /**
   * Routes `method path` to the function's `live` alias (payload format 2.0).
   * API Gateway may invoke the alias only, and only for this path.
   * @param method GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY
   * @param path e.g. `/items/{id}`
   */
  public addRoute(method: string, path: string, fn: ResilientFunction, options: RouteOptions = {}): apigwv2.HttpRoute {
    const v = new PropsValidator(this, `ResilientHttpApi.addRoute(${method} ${path})`);
    const auth = validateRoute(v, 'ResilientHttpApi', { method, path, options, defaultAuth: this.props.defaultAuth }, this.registry, this.props.cors !== undefined);
    v.throwIfInvalid();
    registerRoute(this.registry, method, path);

    if (fn.timeout.toSeconds() > 30) {
      Annotations.of(this).addWarningV2('cdk-resilient-serverless:httpIntegrationTimeout',
        `${method} ${path}: ${fn.node.path} may run ${fn.timeout.toSeconds()} s but API Gateway answers 503 after 30 s`);
    }
    const [route] = this.httpApi.addRoutes({
      path,
      methods: [method as apigwv2.HttpMethod],
      integration: this.integrationFor(fn),
      authorizer: this.authorizerFor(auth!),
      authorizationScopes: auth!.scopes,
    });
    acknowledgeRouteAuth(route, auth!, `${method} ${path}`, false);
    if (options.throttle) {
      this.routeThrottles.set(`${method} ${path}`, options.throttle);
      // The stage rejects settings for a route key that does not exist yet.
      this.stage.node.addDependency(route);
    }
    return route;
  }

  /** Lets the grantee call routes that use `RouteAuth.iam()` (execute-api:Invoke on this API). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.httpApi.arnForExecuteApi('*', '/*', '*')],
    });
  }

  private integrationFor(fn: ResilientFunction): integrations.HttpLambdaIntegration {
    let integration = this.integrations.get(fn);
    if (!integration) {
      integration = new integrations.HttpLambdaIntegration(`${Names.nodeUniqueId(fn.node)}Integration`, fn, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      });
      this.integrations.set(fn, integration);
    }
    return integration;
  }

  // One authorizer per RouteAuth object, shared by every route that passes the same object.
  private authorizerFor(auth: RouteAuth): apigwv2.IHttpRouteAuthorizer {
    let authorizer = this.authorizers.get(auth);
    if (authorizer) {
      return authorizer;
    }
    const id = `Authorizer${this.authorizers.size + 1}`;
    if (auth._cognito) {
      authorizer = new authorizers.HttpUserPoolAuthorizer(id, auth._cognito.userPools[0], { userPoolClients: auth._cognito.userPoolClients });
    } else if (auth._jwt) {
      authorizer = new authorizers.HttpJwtAuthorizer(id, auth._jwt.issuer, { jwtAudience: auth._jwt.audience });
    } else if (auth._lambda) {
      authorizer = new authorizers.HttpLambdaAuthorizer(id, auth._lambda.handler, {
        identitySource: [`$request.header.${auth._lambda.identityHeader ?? 'Authorization'}`],
        resultsCacheTtl: auth._lambda.resultsCacheTtl,
        responseTypes: [auth._lambda.simpleResponses ? authorizers.HttpLambdaResponseType.SIMPLE : authorizers.HttpLambdaResponseType.IAM],
      });
    } else if (auth.kind === RouteAuthKind.IAM) {
      authorizer = new authorizers.HttpIamAuthorizer();
    } else {
      authorizer = new apigwv2.HttpNoneAuthorizer();
    }
    this.authorizers.set(auth, authorizer);
    return authorizer;
  }
}

