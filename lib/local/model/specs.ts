import type { FunctionLayer } from '../layers/layer-specs';
import type { ApiAuthSpec } from '../auth/auth-specs';

/*
 * What the local runner emulates, read from the resolved templates. Plain data: the model is built once
 * at start-up, then the emulators (functions, APIs, events, tables) run from it.
 */

/** Throttle limits (API Gateway's token bucket: steady rate per second, burst capacity). */
export interface ThrottleLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** One Lambda function with everything needed to run it locally. */
export interface FunctionSpec {
  readonly logicalId: string;
  readonly stackName: string;
  /** Short construct path, for logs (e.g. `Hello`). */
  readonly displayName: string;
  /** Physical function name (what FunctionPool and the Invoke API know). */
  readonly functionName: string;
  readonly arn: string;
  readonly handlerPath: string;
  readonly handlerName: string;
  /** The `Handler` property as written (`src/app.main`). */
  readonly handler: string;
  /** The function's code directory (LAMBDA_TASK_ROOT). */
  readonly codeDirectory: string;
  /** The `Runtime` property (`nodejs24.x`). */
  readonly runtime: string;
  /** `LoggingConfig.LogFormat`: JSON makes the function log JSON records. @default - text */
  readonly logFormat?: 'text' | 'json';
  /** `LoggingConfig.ApplicationLogLevel` (JSON format only): the lowest level the function's log keeps. */
  readonly applicationLogLevel?: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly reservedConcurrency?: number;
  /** Sum of the provisioned concurrency of its aliases and versions. */
  readonly provisionedConcurrency: number;
  /** Its aliases and published versions (AWS::Lambda::Alias, AWS::Lambda::Version) by name: what each runs. */
  readonly qualifiers: Readonly<Record<string, QualifierSpec>>;
  /** The function's DeadLetterConfig target (ARN), for failed asynchronous invocations. */
  readonly deadLetterArn?: string;
  /** Circuit names the function declares (RESILIENT_BREAKER_CIRCUITS) and their table, for breaker logs. */
  readonly breaker?: { readonly tableName: string; readonly circuits: readonly string[] };
  /** Its layers (`Layers`), in the order Lambda merges them into /opt. */
  readonly layers?: readonly FunctionLayer[];
  /** The directory standing in for its /opt (see layers/opt-directory.ts); only with layers. */
  readonly optDirectory?: string;
}

/** An alias or a version of a function: the version it executes and the provisioned concurrency it holds. */
export interface QualifierSpec {
  /** A version number (`1`), or `$LATEST` for an alias that points at it. */
  readonly version: string;
  readonly provisionedConcurrency: number;
}

/** How Lambda handles asynchronous invocations of one function or qualifier (AWS::Lambda::EventInvokeConfig). */
export interface AsyncInvokeConfig {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  readonly onFailureArn?: string;
  readonly onSuccessArn?: string;
}

/** Where an ARN used as an integration or target points: a function, with the alias or version invoked. */
export interface FunctionTarget {
  readonly functionName: string;
  readonly qualifier?: string;
}

export interface QueueSpec {
  readonly logicalId: string;
  readonly displayName: string;
  readonly arn: string;
  readonly name: string;
  /** The queue's URL as CloudFormation returns it (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
  readonly url: string;
  /** `VisibilityTimeout`. @default 30 */
  readonly visibilityTimeoutSeconds: number;
  /** `DelaySeconds`. @default 0 */
  readonly delaySeconds: number;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  /** `RedrivePolicy`: where a message goes once received more than `maxReceiveCount` times. */
  readonly redrive?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

/** An SNS topic and who is subscribed to it. */
export interface TopicSpec {
  readonly logicalId: string;
  readonly displayName: string;
  readonly arn: string;
  readonly name: string;
  readonly subscriptions: readonly SubscriptionSpec[];
}

/** An AWS::SNS::Subscription (or a topic's inline `Subscription`). */
export interface SubscriptionSpec {
  /** `lambda`, `sqs`, `email`, `https`, ... (only `lambda` and `sqs` are delivered locally). */
  readonly protocol: string;
  readonly endpoint: string;
  readonly rawMessageDelivery: boolean;
  readonly filterPolicy?: Record<string, unknown>;
  /** `MessageAttributes` (default) or `MessageBody`. */
  readonly filterPolicyScope: 'MessageAttributes' | 'MessageBody';
}

/** An AWS::Lambda::EventSourceMapping on an SQS queue or a DynamoDB stream. */
export interface EventSourceMappingSpec {
  readonly logicalId: string;
  readonly displayName: string;
  /** The mapping's UUID (its Ref). */
  readonly uuid: string;
  readonly kind: 'sqs' | 'dynamodb-stream' | 'other';
  readonly eventSourceArn: string;
  /** Function name or ARN (qualified or not), as the mapping names it. */
  readonly functionName: string;
  readonly enabled: boolean;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** Lambda event filtering patterns (`FilterCriteria.Filters[].Pattern`, parsed). */
  readonly filters: readonly Record<string, unknown>[];
  /** SQS: `ScalingConfig.MaximumConcurrency`. */
  readonly maximumConcurrency?: number;
  /** Streams: `MaximumRetryAttempts` (-1 = until the record expires). */
  readonly maximumRetryAttempts: number;
  /** Streams: `MaximumRecordAgeInSeconds` (-1 = the stream's 24 hours). */
  readonly maximumRecordAgeSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** Streams: `DestinationConfig.OnFailure.Destination`. */
  readonly onFailureArn?: string;
  /** Streams: `StartingPosition`. */
  readonly startingPosition?: string;
}

export interface TableSpec {
  readonly logicalId: string;
  readonly displayName: string;
  readonly tableName: string;
  /** CreateTable input, as DynamoDB's API takes it. */
  readonly createTable: Record<string, unknown>;
  /** `StreamSpecification.StreamViewType`, when the table has a stream. */
  readonly streamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** The table's `StreamArn`, when it has a stream. */
  readonly streamArn?: string;
}

/** A route's backend: a Lambda proxy integration, a mock (e.g. CORS preflight), or one the runner cannot serve. */
export type RouteBackend =
  | {
    readonly kind: 'lambda'; readonly functionArn: string; readonly payloadVersion: '1.0' | '2.0';
    /** The integration's TimeoutInMillis. @default - API Gateway's maximum (29 s REST, 30 s HTTP) */
    readonly timeoutMs?: number;
    /** A REST integration with ResponseTransferMode STREAM over Lambda's InvokeWithResponseStream. */
    readonly responseStreaming?: boolean;
  }
  | { readonly kind: 'mock'; readonly statusCode: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'unsupported'; readonly reason: string };

export interface RestRouteSpec {
  /** Resource path with placeholders (`/items/{id}`, `/{proxy+}`). */
  readonly resourcePath: string;
  readonly resourceId: string;
  /** GET, POST, ..., or ANY. */
  readonly method: string;
  readonly backend: RouteBackend;
  /** Authorization the template asks for (NONE, AWS_IAM, COGNITO_USER_POOLS, CUSTOM): see lib/local/auth. */
  readonly authorization: string;
  readonly apiKeyRequired: boolean;
  /** The AuthorizerId (COGNITO_USER_POOLS, CUSTOM). */
  readonly authorizerId?: string;
  readonly authorizationScopes?: readonly string[];
}

export interface RestStageSpec {
  readonly name: string;
  readonly throttle: ThrottleLimits;
  /** Method-level overrides, keyed `METHOD /resource/path`. */
  readonly methodThrottles: ReadonlyMap<string, ThrottleLimits>;
  readonly variables?: Readonly<Record<string, string>>;
}

export interface RestApiSpec {
  readonly kind: 'rest';
  readonly logicalId: string;
  readonly displayName: string;
  readonly apiId: string;
  readonly routes: readonly RestRouteSpec[];
  readonly stages: readonly RestStageSpec[];
  readonly binaryMediaTypes: readonly string[];
  /** Authorizers, API keys and usage plans. */
  readonly auth?: ApiAuthSpec;
}

export interface HttpRouteSpec {
  /** `GET /items/{id}`, `ANY /{proxy+}` or `$default`. */
  readonly routeKey: string;
  readonly routeId: string;
  readonly backend: RouteBackend;
  /** NONE, AWS_IAM, JWT or CUSTOM: see lib/local/auth. */
  readonly authorization: string;
  readonly authorizerId?: string;
  readonly authorizationScopes?: readonly string[];
}

export interface HttpStageSpec {
  readonly name: string;
  readonly throttle: ThrottleLimits;
  readonly routeThrottles: ReadonlyMap<string, ThrottleLimits>;
  readonly variables?: Readonly<Record<string, string>>;
}

export interface CorsSpec {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
}

export interface HttpApiSpec {
  readonly kind: 'http';
  readonly logicalId: string;
  readonly displayName: string;
  readonly apiId: string;
  readonly routes: readonly HttpRouteSpec[];
  readonly stages: readonly HttpStageSpec[];
  readonly cors?: CorsSpec;
  /** Set when this is a Lambda function URL (AWS::Lambda::Url) rather than an API Gateway HTTP API. */
  readonly functionUrl?: { readonly invokeMode: 'BUFFERED' | 'RESPONSE_STREAM' };
  /** Authorizers. */
  readonly auth?: ApiAuthSpec;
}

export type ApiSpec = RestApiSpec | HttpApiSpec;

/** EventBridge target or Scheduler target: where to send, what, and how hard to try. */
export interface TargetSpec {
  readonly id: string;
  readonly arn: string;
  /** Fixed JSON text sent instead of the event. */
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: { readonly inputPathsMap: Readonly<Record<string, string>>; readonly inputTemplate: string };
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  readonly deadLetterArn?: string;
}

export interface RuleSpec {
  readonly logicalId: string;
  readonly displayName: string;
  readonly name: string;
  readonly arn: string;
  /** Name of the bus the rule listens on. */
  readonly busName: string;
  readonly pattern?: Record<string, unknown>;
  readonly scheduleExpression?: string;
  readonly enabled: boolean;
  readonly targets: readonly TargetSpec[];
}

/** An EventBridge Scheduler schedule. */
export interface ScheduleSpec {
  readonly logicalId: string;
  readonly displayName: string;
  readonly name: string;
  readonly arn: string;
  readonly expression: string;
  readonly timezone?: string;
  /** FLEXIBLE mode: each run starts at a random time within this many minutes after the scheduled time. */
  readonly flexibleWindowMinutes?: number;
  readonly enabled: boolean;
  readonly target: TargetSpec;
  readonly startDate?: string;
  readonly endDate?: string;
}

/** A resource the runner does not emulate. */
export interface SkippedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
  /**
   * A function the runner cannot run (another language, a container image) but can leave out without
   * changing what the rest of the app does: the runner starts without it and says so, no flag needed.
   */
  readonly skippedFunction?: boolean;
}

/** Everything the runner emulates, and what it does not. */
export interface AppModel {
  readonly account: string;
  readonly region: string;
  readonly functions: readonly FunctionSpec[];
  /** Alias, version and function ARNs → function and qualifier. */
  readonly functionTargets: ReadonlyMap<string, FunctionTarget>;
  /** Keyed `functionName` or `functionName:qualifier`. */
  readonly asyncConfigs: ReadonlyMap<string, AsyncInvokeConfig>;
  readonly queues: readonly QueueSpec[];
  /** SNS topics and their subscriptions. */
  readonly topics: readonly TopicSpec[];
  /** AWS::Lambda::EventSourceMapping: SQS queues and DynamoDB streams polled into functions. */
  readonly eventSourceMappings: readonly EventSourceMappingSpec[];
  readonly tables: readonly TableSpec[];
  readonly apis: readonly ApiSpec[];
  /** Event bus names (the default bus included). */
  readonly buses: readonly string[];
  readonly rules: readonly RuleSpec[];
  readonly schedules: readonly ScheduleSpec[];
  /** Resources that cannot run locally and would change behaviour: the runner refuses to start unless allowed. */
  readonly unsupported: readonly SkippedResource[];
  /** Resources with no local behaviour to emulate (IAM, logs, alarms, ...), listed for transparency. */
  readonly inert: readonly SkippedResource[];
  /** Parts of supported resources that are not emulated (authorizers, API keys, ...). */
  readonly notes: readonly string[];
}
