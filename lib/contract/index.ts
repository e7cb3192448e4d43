/*
 * The contract between the constructs (synth time) and the runtime (inside Lambda).
 * Plain constants and types only: both worlds import this file, so it must import nothing.
 */

/** Environment variable that holds the circuit breaker table name. */
export const BREAKER_TABLE_ENV = 'RESILIENT_BREAKER_TABLE';

/** Environment variable that holds the function's circuit names (comma separated), when the construct knows them. */
export const BREAKER_CIRCUITS_ENV = 'RESILIENT_BREAKER_CIRCUITS';

/**
 * What a circuit name (the partition key of its item) may be, checked alike by the construct's grant and
 * by the runtime: characters that are safe in metric dimensions and in the grant's `dynamodb:LeadingKeys`.
 */
export const CIRCUIT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

/** `CIRCUIT_NAME_PATTERN` in words, for error messages. */
export const CIRCUIT_NAME_RULE = '1-128 letters, digits and . _ -, starting with a letter or digit';

/**
 * Attribute of a circuit's item through which an operator overrides it; every instance obeys within one
 * `refreshMs`. Remove the attribute to hand the circuit back to the breaker.
 */
export const BREAKER_CONTROL_ATTRIBUTE = 'ctl';

/**
 * Values of `BREAKER_CONTROL_ATTRIBUTE`: `force-open` rejects every call; `force-closed` admits every call
 * and counts nothing; `disabled` admits every call but keeps counting and publishing metrics (metrics only).
 */
export const BREAKER_CONTROLS = ['force-open', 'force-closed', 'disabled'] as const;

/** Table attribute holding an item's expiry (epoch seconds): circuits idle past it are removed by DynamoDB TTL. */
export const BREAKER_TTL_ATTRIBUTE = 'expiresAt';

/** CloudWatch namespace of every metric the runtime and the warmer publish (Embedded Metric Format). */
export const METRIC_NAMESPACE = 'ResilientServerless';

/** Metrics the breaker runtime publishes, dimensioned by `FunctionName` + `Circuit` and by `FunctionName` alone. */
export const BREAKER_METRIC = {
  /** 1 each time this instance moved a circuit to OPEN (exactly one instance fleet-wide per opening). */
  OPENED: 'CircuitOpened',
  /** 1 each time this instance moved a circuit to CLOSED after half-open probes succeeded. */
  CLOSED: 'CircuitClosed',
  /** Calls rejected locally because the circuit was open. */
  REJECTED: 'CircuitRejected',
  /** Store requests that failed (timeouts, throttling, denied access, a missing table). */
  STORE_ERRORS: 'CircuitStoreErrors',
  /** 1 each time an instance lost the store and fell back to its own in-memory breaker (fail-open). */
  DEGRADED: 'CircuitDegraded',
  /** Gauge of the fleet-wide state after each flush: 0 CLOSED, 1 HALF_OPEN, 2 OPEN. */
  STATE: 'CircuitState',
  /** Failure rate (percent) of the settled window, after each flush. */
  FAILURE_RATE: 'CircuitFailureRate',
  /** Slow-call rate (percent) of the settled window, after each flush, when slow calls are tracked. */
  SLOW_CALL_RATE: 'CircuitSlowCallRate',
} as const;

/** Metrics the warmer publishes, dimensioned by `Target` (`<function name>:<alias>`). */
export const WARMER_METRIC = {
  REQUESTED: 'WarmRequested',
  DISTINCT: 'WarmDistinctInstances',
  COLD: 'WarmColdStarts',
} as const;

/** Key that marks an invocation payload as a warm-up call. */
export const WARMUP_KEY = '__resilientWarmup';

/** Payload the warmer sends: `{ [WARMUP_KEY]: WarmupRequest }`. */
export interface WarmupRequest {
  /** Identifies one warming round of one target (all N calls share it). */
  readonly batchId: string;
  /** 0-based position of this call in the round. */
  readonly index: number;
  /** How many concurrent calls the round holds in flight together. */
  readonly concurrency: number;
  /** Epoch ms until which every warm-up call is held, so all N occupy distinct environments at once. */
  readonly releaseAt: number;
}

/** What a warmed instance answers. */
export interface WarmupResponse {
  readonly warmup: true;
  /** Module-scope id of the execution environment that answered. */
  readonly instanceId: string;
  /** True when this warm-up call was the environment's first invocation. */
  readonly cold: boolean;
  readonly batchId: string;
  readonly index: number;
}

/** One alias the warmer keeps warm. */
export interface WarmerTarget {
  /** ARN of the alias to invoke (`arn:aws:lambda:region:account:function:name:alias`). */
  readonly functionArn: string;
  /** How many distinct execution environments to keep warm. */
  readonly concurrency: number;
}

/** Input of the warmer function: the payload its EventBridge rule or schedule sends. */
export interface WarmerEvent {
  readonly targets: WarmerTarget[];
  /**
   * Milliseconds from the start of a round's fan-out to its `releaseAt`; must exceed the time to send all calls.
   * @default - chosen by the warmer from the concurrency (1 s plus 20 ms per call)
   */
  readonly holdMs?: number;
}
