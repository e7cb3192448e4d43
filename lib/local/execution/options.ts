import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type { LogLine } from './environment';
import { hostRuntime, runtimeMajor } from './interpreter';
import type { LogFormat } from './protocol';

/** How to run one function locally the way Lambda runs it. */
export interface FunctionPoolOptions {
  /** Lambda function name (1-64 of `a-zA-Z0-9-_`). */
  readonly functionName: string;
  /** Absolute path of the bundled handler file (`.js`/`.cjs` loaded with require, `.mjs` with import). */
  readonly handlerPath: string;
  /** Name of the handler export. @default 'handler' */
  readonly handlerName?: string;
  /** The function's environment variables; the environment sees only these plus Lambda's reserved ones. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Function timeout. @default 3000 (Lambda's default of 3 s) */
  readonly timeoutMs?: number;
  /**
   * Memory size: reported to the handler (context.memoryLimitInMB, AWS_LAMBDA_FUNCTION_MEMORY_SIZE) and used as
   * the environment's heap limit, so a handler that outgrows it fails with Runtime.OutOfMemory.
   * @default 128
   */
  readonly memoryMb?: number;
  /** Concurrent environments allowed; requests beyond it are throttled. @default - unreserved (up to `maxConcurrency`) */
  readonly reservedConcurrency?: number;
  /** Environments initialised by `start()` and kept forever (never evicted, replaced when lost). @default 0 */
  readonly provisionedConcurrency?: number;
  /** An on-demand environment idle this long is evicted. @default 300000 (5 minutes) */
  readonly idleTimeoutMs?: number;
  /** Longest INIT allowed before the environment is discarded. @default 10000 (Lambda's on-demand INIT limit) */
  readonly initTimeoutMs?: number;
  /** Concurrency cap of an unreserved function, standing in for the account limit. @default 1000 */
  readonly maxConcurrency?: number;
  /** Version the handler sees in context.functionVersion. @default '$LATEST' */
  readonly functionVersion?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Receives each line the handler logs. @default - written to this process's stdout/stderr */
  readonly onLog?: (line: LogLine) => void;
  /**
   * The function's runtime (`nodejs24.x`): its Node.js major runs the function (a child process when it is not the
   * host's) and decides the handler semantics. @default - the host's own major (a worker thread)
   */
  readonly runtime?: string;
  /** The `Handler` setting as written (`src/app.main`): `_HANDLER`, and error messages. @default - `<file>.<handlerName>` */
  readonly handler?: string;
  /** The code directory: LAMBDA_TASK_ROOT and the environment's working directory. @default - the handler file's directory */
  readonly codeDirectory?: string;
  /**
   * The function's /opt: its layers merged (see lib/local/layers). Its `nodejs/node_modules` folders go on
   * NODE_PATH as in Lambda, and `/opt/...` paths the handler requires or reads are served from it.
   * @default - no layers
   */
  readonly optDirectory?: string;
  /**
   * Each environment opens the V8 inspector on the first free port from `port` (0: an ephemeral one) and says
   * where through `onNotice`. While inspected the timeout is not enforced (a breakpoint would hit it) and idle
   * environments are kept, so an attached debugger stays attached. @default - no inspector
   */
  readonly inspector?: { readonly host: string; readonly port: number };
  /** Lambda's log format for the function's lines and the platform lines. @default 'text' */
  readonly logFormat?: LogFormat;
  /** Receives what the pool says once about the function (e.g. that its Node.js major is not available). @default - stderr */
  readonly onNotice?: (message: string) => void;
  /**
   * For pools that serve one function together (one per version or alias with provisioned concurrency):
   * environments the other pools hold, counted against reservedConcurrency, and the numbers of new
   * environments, shared so environment ids stay unique. @default - the pool is the function's only one
   */
  readonly siblings?: PoolSiblings;
}

/** What the pools of one function share. */
export interface PoolSiblings {
  /** Environments of the function held by the other pools. */
  environmentsElsewhere(): number;
  /** The next environment number of the function. */
  nextEnvironmentNumber(): number;
}

/** Options with every default applied. */
export type ResolvedPoolOptions = Required<Omit<FunctionPoolOptions, 'reservedConcurrency' | 'environment' | 'handler' | 'codeDirectory' | 'siblings' | 'optDirectory' | 'inspector'>> & {
  readonly optDirectory: string | undefined;
  readonly inspector: { readonly host: string; readonly port: number } | undefined;
  /** The `Handler` setting, when the caller gave one. */
  readonly handler: string | undefined;
  readonly codeDirectory: string;
  readonly reservedConcurrency: number | undefined;
  readonly siblings: PoolSiblings | undefined;
  readonly environment: Readonly<Record<string, string>>;
};

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Checks every option and reports all problems at once, so a caller fixes them in one go. */
export function resolvePoolOptions(options: FunctionPoolOptions): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`FunctionPool: options must be an object, got ${String(options)}`);
  }
  const name = typeof options.functionName === 'string' ? options.functionName : '<missing functionName>';
  const problems: string[] = [];
  const integer = (key: keyof FunctionPoolOptions, min: number, max: number) => {
    const value = options[key];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
  };

  if (typeof options.functionName !== 'string' || !FUNCTION_NAME.test(options.functionName)) {
    problems.push(`functionName must be 1-64 characters of a-z, A-Z, 0-9, '-' or '_', got ${JSON.stringify(options.functionName)}`);
  }
  if (typeof options.handlerPath !== 'string' || !isAbsolute(options.handlerPath)) {
    problems.push(`handlerPath must be an absolute path to a bundled handler file, got ${JSON.stringify(options.handlerPath)}`);
  } else if (!existsSync(options.handlerPath) || !statSync(options.handlerPath).isFile()) {
    problems.push(`handlerPath must name an existing file, got ${JSON.stringify(options.handlerPath)} (not found)`);
  }
  if (options.handlerName !== undefined && (typeof options.handlerName !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(options.handlerName))) {
    problems.push(`handlerName must be a JavaScript export name, got ${JSON.stringify(options.handlerName)}`);
  }
  if (options.environment !== undefined) {
    if (typeof options.environment !== 'object' || options.environment === null) {
      problems.push(`environment must be an object of string values, got ${JSON.stringify(options.environment)}`);
    } else {
      for (const [key, value] of Object.entries(options.environment)) {
        if (typeof value !== 'string') problems.push(`environment.${key} must be a string, got ${JSON.stringify(value)}`);
      }
    }
  }
  integer('timeoutMs', 1, 900_000);
  integer('memoryMb', 128, 10_240);
  integer('reservedConcurrency', 0, 100_000);
  integer('provisionedConcurrency', 0, 100_000);
  integer('idleTimeoutMs', 0, 2_147_483_647);
  integer('initTimeoutMs', 1, 2_147_483_647);
  integer('maxConcurrency', 1, 100_000);
  const reserved = options.reservedConcurrency;
  const provisioned = options.provisionedConcurrency ?? 0;
  if (typeof reserved === 'number' && typeof provisioned === 'number' && provisioned > reserved) {
    problems.push(`provisionedConcurrency (${provisioned}) must not exceed reservedConcurrency (${reserved})`);
  }
  if (options.onLog !== undefined && typeof options.onLog !== 'function') {
    problems.push(`onLog must be a function, got ${typeof options.onLog}`);
  }
  if (options.runtime !== undefined && (typeof options.runtime !== 'string' || runtimeMajor(options.runtime) === undefined)) {
    problems.push(`runtime must be a Node.js runtime identifier such as nodejs24.x, got ${JSON.stringify(options.runtime)}`);
  }
  if (options.logFormat !== undefined && options.logFormat !== 'text' && options.logFormat !== 'json') {
    problems.push(`logFormat must be 'text' or 'json', got ${JSON.stringify(options.logFormat)}`);
  }
  if (options.codeDirectory !== undefined && (typeof options.codeDirectory !== 'string' || !isAbsolute(options.codeDirectory))) {
    problems.push(`codeDirectory must be an absolute path, got ${JSON.stringify(options.codeDirectory)}`);
  } else if (typeof options.codeDirectory === 'string' && typeof options.handlerPath === 'string' && !options.handlerPath.startsWith(options.codeDirectory)) {
    problems.push(`codeDirectory must contain handlerPath, got ${JSON.stringify(options.codeDirectory)} for ${JSON.stringify(options.handlerPath)}`);
  }
  if (options.optDirectory !== undefined && (typeof options.optDirectory !== 'string' || !isAbsolute(options.optDirectory))) {
    problems.push(`optDirectory must be an absolute path, got ${JSON.stringify(options.optDirectory)}`);
  }
  const inspector = options.inspector;
  if (inspector !== undefined && (typeof inspector?.host !== 'string' || !Number.isInteger(inspector.port) || inspector.port < 0 || inspector.port > 65535)) {
    problems.push(`inspector must be { host, port } with a port from 0 to 65535, got ${JSON.stringify(inspector)}`);
  }
  if (options.onNotice !== undefined && typeof options.onNotice !== 'function') {
    problems.push(`onNotice must be a function, got ${typeof options.onNotice}`);
  }
  if (problems.length > 0) {
    throw new Error(`FunctionPool(${name}): invalid options:\n  - ${problems.join('\n  - ')}`);
  }

  return {
    functionName: options.functionName,
    handlerPath: options.handlerPath,
    handlerName: options.handlerName ?? 'handler',
    environment: options.environment ?? {},
    timeoutMs: options.timeoutMs ?? 3000,
    memoryMb: options.memoryMb ?? 128,
    reservedConcurrency: reserved,
    provisionedConcurrency: provisioned,
    idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
    initTimeoutMs: options.initTimeoutMs ?? 10_000,
    maxConcurrency: options.maxConcurrency ?? 1000,
    functionVersion: options.functionVersion ?? '$LATEST',
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    onLog: options.onLog ?? writeToProcess,
    siblings: options.siblings,
    runtime: options.runtime ?? hostRuntime(),
    handler: options.handler,
    codeDirectory: options.codeDirectory ?? dirname(options.handlerPath),
    optDirectory: options.optDirectory,
    inspector: options.inspector,
    logFormat: options.logFormat ?? 'text',
    onNotice: options.onNotice ?? ((message) => process.stderr.write(`${message}\n`)),
  };
}

function writeToProcess(line: LogLine): void {
  (line.stream === 'stderr' ? process.stderr : process.stdout).write(`[${line.functionName} ${line.environmentId}] ${line.text}\n`);
}
