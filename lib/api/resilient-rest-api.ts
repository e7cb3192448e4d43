import { Annotations, Lazy, Names, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAlarm } from './api-alarm-options';
import { createApiAlarms } from './api-alarms';
import { ResilientApiBaseProps } from './api-props';
import { registerRoute, RouteRegistry, validateApiBaseProps, validateRoute } from './api-validation';
import { restAccessLogFormat } from './access-log-format';
import { accessLogGroupFor, DEFAULT_STAGE_THROTTLE, resolveCors } from './api-defaults';
import { RestApiCloudWatchRole } from './rest-api-cloudwatch-role';
import { RouteAuth, RouteAuthKind } from './route-auth';
import { acknowledgePreflight, acknowledgeRouteAuth } from './route-nag';
import { RouteOptions, ThrottleLimits } from './route-options';
import { ResilientFunction } from '../function/resilient-function';
import { AlarmProfile } from '../monitoring/alarm-profile';
import { AlarmSet } from '../monitoring/alarm-set';
import { ServiceMonitoring } from '../monitoring/service-monitoring';
import { restApiRow } from '../monitoring/dashboard/api-row';
import { trackOnDashboard } from '../monitoring/dashboard/service-dashboard';
import { acknowledgeNagRule } from '../private/nag';
import { PropsValidator } from '../private/validation';

/** Props of a ResilientRestApi. */
export interface ResilientRestApiProps extends ResilientApiBaseProps {
  /**
   * Name of the deployment stage.
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * X-Ray tracing of the stage.
   * @default true
   */
  readonly tracing?: boolean;

  /**
   * Execution logging level of every method (request/response bodies are never logged).
   * @default apigw.MethodLoggingLevel.ERROR
   */
  readonly executionLogLevel?: apigw.MethodLoggingLevel;

  /**
   * Sets the account-level role API Gateway needs to write logs (one per stack). Turn off when the account
   * already has it, e.g. from a bootstrap stack.
   * @default true
   */
  readonly cloudWatchRole?: boolean;

  /**
   * ARN of a WAFv2 web ACL (scope REGIONAL) to associate with the stage.
   * @default - no web ACL (the cdk-nag AwsSolutions-APIG3 finding is acknowledged, naming this prop)
   */
  readonly webAclArn?: string;

  /**
   * Per-method CloudWatch metrics (billed per metric).
   * @default false
   */
  readonly detailedMetrics?: boolean;
}

/**
 * An API Gateway REST API (payload v1 proxy events) whose routes invoke ResilientFunction `live` aliases.
 *
 * Defaults: regional endpoint, stage throttling, JSON access logs with retention, X-Ray tracing, execution
 * logging at ERROR, a request validator on every method, alarms on 5XX rate and p99 latency.
 * Route authorization: `RouteAuth.none()`, `iam()`, `cognito()`, `lambdaAuthorizer()`, plus API keys with usage
 * plans (`apiKeyRequired`, `addUsagePlan`). `RouteAuth.jwt()` is an HTTP API feature and fails here.
 * With `cors`, OPTIONS preflights are answered by API Gateway; the function's responses must carry
 * `Access-Control-Allow-Origin` themselves (REST proxy integrations pass responses through).
 * A route with `responseStreaming` streams the function's response (STREAM transfer mode, InvokeWithResponseStream).
 *
 * @example
 * const api = new ResilientRestApi(this, 'Api', { defaultAuth: RouteAuth.iam() });
 * api.addRoute('GET', '/hello', hello, { auth: RouteAuth.none() });
 * api.addRoute('POST', '/orders', placeOrder, { apiKeyRequired: true, throttle: { rateLimit: 10, burstLimit: 20 } });
 * api.addUsagePlan('Partners', { quota: { limit: 10000, period: apigw.Period.DAY } });
 */
export class ResilientRestApi extends Construct {
  /** The underlying REST API (escape hatch). */
  public readonly restApi: apigw.RestApi;

  /** The deployment stage. */
  public readonly stage: apigw.Stage;

  /** The log group of the JSON access logs. */
  public readonly accessLogGroup: logs.ILogGroup;

  /** The alarm profile this API's alarms follow. */
  public readonly alarmProfile: AlarmProfile;

  private readonly props: ResilientRestApiProps;
  private readonly registry: RouteRegistry = { keys: new Set(), variableByParent: new Map() };
  private readonly routeThrottles: Array<{ method: string; path: string; limits: ThrottleLimits }> = [];
  private readonly authorizers = new Map<RouteAuth, apigw.IAuthorizer>();
  private readonly acknowledgedPreflights = new Set<apigw.IResource>();
  private readonly alarmSet: AlarmSet<ApiAlarm>;
  private readonly requestValidator: apigw.RequestValidator;
  private usagePlanCount = 0;
  private apiKeyRouteCount = 0;

  constructor(scope: Construct, id: string, props: ResilientRestApiProps = {}) {
    super(scope, id);
    this.props = props;
    const v = new PropsValidator(this, 'ResilientRestApi');
    validateApiBaseProps(v, props);
    if (props.stageName !== undefined) {
      v.check(/^[A-Za-z0-9_]{1,128}$/.test(props.stageName), 'stageName', props.stageName, 'letters, digits and underscores (1-128)');
    }
    if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn)) {
      v.check(/^arn:aws[a-z-]*:wafv2:[^:]+:\d{12}:regional\/webacl\/.+$/.test(props.webAclArn), 'webAclArn', props.webAclArn, 'a REGIONAL WAFv2 web ACL ARN');
    }
    v.throwIfInvalid();

    this.accessLogGroup = accessLogGroupFor(this, props);
    const throttle = props.throttle ?? DEFAULT_STAGE_THROTTLE;
    const cors = props.cors ? resolveCors(props.cors) : undefined;
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: props.description,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        tracingEnabled: props.tracing ?? true,
        loggingLevel: props.executionLogLevel ?? apigw.MethodLoggingLevel.ERROR,
        // Request and response bodies may hold personal data: never copy them into execution logs.
        dataTraceEnabled: false,
        metricsEnabled: props.detailedMetrics ?? false,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: restAccessLogFormat(),
      },
      defaultCorsPreflightOptions: cors ? {
        allowOrigins: cors.allowOrigins,
        allowMethods: cors.allowMethods,
        allowHeaders: cors.allowHeaders,
        allowCredentials: cors.allowCredentials,
        maxAge: cors.maxAge,
      } : undefined,
    });
    this.stage = this.restApi.deploymentStage;
    if (props.cloudWatchRole !== false) {
      this.stage.node.addDependency(RestApiCloudWatchRole.of(this).account);
    }
    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.addRouteThrottlesToStage();
    this.acknowledgePreflights(this.restApi.root);
    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.stage.stageArn, webAclArn: props.webAclArn });
    } else {
      acknowledgeNagRule(this.stage, 'AwsSolutions-APIG3',
        'No WAFv2 web ACL was given (ResilientRestApi prop webAclArn): web ACL rules are application-specific and billed per ACL and rule, so the library does not invent one.');
    }

    this.alarmProfile = props.alarms?.profile ?? ServiceMonitoring.of(this).alarmProfile;
    this.alarmSet = new AlarmSet(this, props.alarmTopic);
    createApiAlarms(this.alarmSet, this.node.path, {
      count: (o) => this.stage.metricCount(o),
      serverErrors: (o) => this.stage.metricServerError(o),
      clientErrors: (o) => this.stage.metricClientError(o),
      latency: (o) => this.stage.metricLatency(o),
    }, props.alarms ?? {}, this.alarmProfile);
    trackOnDashboard(this, restApiRow(this));
    this.node.addValidation({
      validate: () => this.apiKeyRouteCount > 0 && this.usagePlanCount === 0
        ? [`ResilientRestApi at '${this.node.path}': ${this.apiKeyRouteCount} route(s) require an API key but the API has no usage plan: call addUsagePlan() so keys can be issued`]
        : [],
    });
  }

  /** The URL of the stage, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/prod/`. */
  public get url(): string {
    return this.restApi.url;
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
   * Routes `method path` to the function's `live` alias (Lambda proxy integration, payload v1).
   * API Gateway may invoke the alias only, and only for this method and path.
   * @param method GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY
   * @param path e.g. `/items/{id}`
   */
  public addRoute(method: string, path: string, fn: ResilientFunction, options: RouteOptions = {}): apigw.Method {
    const v = new PropsValidator(this, `ResilientRestApi.addRoute(${method} ${path})`);
    const auth = validateRoute(v, 'ResilientRestApi', { method, path, options, defaultAuth: this.props.defaultAuth }, this.registry, this.props.cors !== undefined);
    v.throwIfInvalid();
    registerRoute(this.registry, method, path);

    const resource = this.restApi.root.resourceForPath(path);
    for (let r: apigw.IResource | undefined = resource; r; r = r.parentResource) {
      this.acknowledgePreflights(r);
    }
    const integration = options.responseStreaming ? streamingIntegration(fn) : new apigw.LambdaIntegration(fn, { proxy: true, allowTestInvoke: false });
    if (!options.responseStreaming && fn.timeout.toSeconds() > 29) {
      Annotations.of(this).addWarningV2('cdk-resilient-serverless:restIntegrationTimeout',
        `${method} ${path}: ${fn.node.path} may run ${fn.timeout.toSeconds()} s but API Gateway answers 504 after 29 s (a streaming route, responseStreaming: true, may run up to 15 minutes)`);
    }
    const created = resource.addMethod(method, integration, {
      ...this.authorizationOf(auth!),
      apiKeyRequired: options.apiKeyRequired,
      requestValidator: this.requestValidator,
      requestParameters: options.requestParameters,
      requestModels: options.requestBodySchema ? {
        'application/json': this.restApi.addModel(`Model${this.registry.keys.size}`, { contentType: 'application/json', schema: options.requestBodySchema }),
      } : undefined,
    });
    acknowledgeRouteAuth(created, auth!, `${method} ${path}`, true);
    if (options.throttle) {
      this.routeThrottles.push({ method, path, limits: options.throttle });
    }
    if (options.apiKeyRequired) {
      this.apiKeyRouteCount++;
    }
    return created;
  }

  /** Adds a usage plan on this API's stage, for routes with `apiKeyRequired` (add keys with `plan.addApiKey()`). */
  public addUsagePlan(id: string, props: apigw.UsagePlanProps = {}): apigw.UsagePlan {
    const plan = this.restApi.addUsagePlan(id, props);
    plan.addApiStage({ stage: this.stage });
    this.usagePlanCount++;
    return plan;
  }

  /** Lets the grantee call routes that use `RouteAuth.iam()` (execute-api:Invoke on this stage). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.restApi.arnForExecuteApi('*', '/*', this.stage.stageName)],
    });
  }

  private authorizationOf(auth: RouteAuth): apigw.MethodOptions {
    switch (auth.kind) {
      case RouteAuthKind.IAM:
        return { authorizationType: apigw.AuthorizationType.IAM };
      case RouteAuthKind.COGNITO:
        return { authorizationType: apigw.AuthorizationType.COGNITO, authorizer: this.authorizerFor(auth), authorizationScopes: auth.scopes };
      case RouteAuthKind.LAMBDA:
        return { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer: this.authorizerFor(auth) };
      default:
        return { authorizationType: apigw.AuthorizationType.NONE };
    }
  }

  // One authorizer per RouteAuth object, shared by every route that passes the same object.
  private authorizerFor(auth: RouteAuth): apigw.IAuthorizer {
    let authorizer = this.authorizers.get(auth);
    if (!authorizer) {
      const id = `Authorizer${this.authorizers.size + 1}`;
      authorizer = auth._cognito
        ? new apigw.CognitoUserPoolsAuthorizer(this, id, { cognitoUserPools: auth._cognito.userPools })
        : new apigw.RequestAuthorizer(this, id, {
          handler: auth._lambda!.handler,
          identitySources: [apigw.IdentitySource.header(auth._lambda!.identityHeader ?? 'Authorization')],
          resultsCacheTtl: auth._lambda!.resultsCacheTtl,
        });
      this.authorizers.set(auth, authorizer);
    }
    return authorizer;
  }

  private acknowledgePreflights(resource: apigw.IResource): void {
    const preflight = resource.node.tryFindChild('OPTIONS');
    if (preflight && this.props.cors && !this.acknowledgedPreflights.has(resource)) {
      this.acknowledgedPreflights.add(resource);
      acknowledgePreflight(preflight);
    }
  }

  // Route limits go into the stage's MethodSettings, which the L2 renders only once, at construction.
  private addRouteThrottlesToStage(): void {
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    const base = (cfnStage.methodSettings ?? []) as apigw.CfnStage.MethodSettingProperty[];
    cfnStage.methodSettings = Lazy.any({
      produce: () => [...base, ...this.routeThrottles.map(({ method, path, limits }) => ({
        httpMethod: method === 'ANY' ? '*' : method,
        resourcePath: path === '/' ? '/' : `/${path.replace(/\//g, '~1')}`,
        throttlingRateLimit: limits.rateLimit,
        throttlingBurstLimit: limits.burstLimit,
        loggingLevel: this.props.executionLogLevel ?? apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: this.props.detailedMetrics ?? false,
      }))],
    });
  }
}

/** Lambda proxy over InvokeWithResponseStream; streams may run as long as the function (API Gateway allows 15 minutes). */
function streamingIntegration(fn: ResilientFunction): apigw.LambdaIntegration {
  const longerThanDefault = fn.timeout.toSeconds() > 29;
  return new apigw.LambdaIntegration(fn, {
    proxy: true,
    allowTestInvoke: false,
    responseTransferMode: apigw.ResponseTransferMode.STREAM,
    ...(longerThanDefault ? { timeout: fn.timeout } : {}),
  });
}
