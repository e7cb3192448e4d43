import { randomFillSync, randomUUID } from 'node:crypto';
import type { InitializationType } from './environment';
import { runtimeMajor } from './interpreter';
import { lambdaNodePath } from '../layers/opt-directory';
import type { ResolvedPoolOptions } from './options';
import type { WorkerSetup } from './protocol';

/** What an environment is handed at creation: its handler, runtime semantics, log names and format. */
export function workerSetup(o: ResolvedPoolOptions, handlerSetting: string): WorkerSetup {
  const streamDate = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    handlerPath: o.handlerPath,
    handlerName: o.handlerName,
    handler: handlerSetting,
    taskRoot: o.codeDirectory,
    runtimeMajor: runtimeMajor(o.runtime)!,
    logFormat: o.logFormat,
    functionName: o.functionName,
    functionVersion: o.functionVersion,
    memoryMb: o.memoryMb,
    logGroupName: `/aws/lambda/${o.functionName}`,
    logStreamName: `${streamDate}/[${o.functionVersion}]${randomUUID().replace(/-/g, '')}`,
    ...(o.optDirectory ? { optDirectory: o.optDirectory } : {}),
    ...(o.inspector ? { inspector: o.inspector } : {}),
  };
}

/**
 * The process.env of an environment: the function's variables, then Lambda's reserved ones (which win, as in
 * the service), and nothing from the host but PATH.
 */
export function lambdaVariables(o: ResolvedPoolOptions, setup: WorkerSetup, initializationType: InitializationType): Record<string, string> {
  return {
    // Credentials first: the function's own (the runner injects dummy ones) win over the placeholder.
    AWS_SESSION_TOKEN: 'local-session-token',
    // Lambda's bootstrap sets NODE_PATH unless the function does.
    NODE_PATH: lambdaNodePath(setup.runtimeMajor, o.codeDirectory, o.optDirectory),
    ...o.environment,
    AWS_LAMBDA_FUNCTION_NAME: o.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: o.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(o.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: setup.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: setup.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: initializationType,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${setup.runtimeMajor}.x`,
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    LAMBDA_TASK_ROOT: o.codeDirectory,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: setup.handler,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...(o.logFormat === 'json' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}),
    ...(process.env.PATH !== undefined ? { PATH: process.env.PATH } : {}),
  };
}

/** A trace header in X-Ray's format: `Root=1-<epoch seconds, hex>-<96 random bits>;Parent=<64 bits>;Sampled=0`. */
export function newTraceId(): string {
  const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${randomHex(12)};Parent=${randomHex(8)};Sampled=0`;
}

// Every invocation needs 20 random bytes: one getrandom call fills enough for about 200 of them.
const entropy = Buffer.alloc(4096);
let entropyOffset = entropy.length;

function randomHex(bytes: number): string {
  if (entropyOffset + bytes > entropy.length) {
    randomFillSync(entropy);
    entropyOffset = 0;
  }
  entropyOffset += bytes;
  return entropy.toString('hex', entropyOffset - bytes, entropyOffset);
}
