// @ts-check
/*
 * The inside of one execution environment: a worker thread of the runner (the host's Node.js major) or of
 * environment-host.cjs in a child process on the runtime's major. Either way it has its own module registry
 * (module scope survives between invocations, as in Lambda) and its own process.env. Plain CommonJS, so the same
 * files run from the TypeScript sources (jest, tsx) and from the compiled package, on any Node.js version.
 * Message shapes: protocol.ts.
 */
'use strict';
const { openChannel } = require('./in-environment/channel.cjs');
const { getHeapStatistics } = require('node:v8');
const { toResponse, intoError } = require('./in-environment/error-document.cjs');
const { invokeHandler } = require('./in-environment/invoke-handler.cjs');
const { loadHandler } = require('./in-environment/load-handler.cjs');
const { logError, patchConsole, setRequestId } = require('./in-environment/log-writer.cjs');
const { installAwsLambdaGlobal } = require('./in-environment/response-stream.cjs');

const channel = openChannel();
const setup = channel.setup;
// SDK imports resolve as Lambda's runtime provides them (issue 12, lib/local/sdk); before any handler code loads.
require('../sdk/sdk-resolution.cjs').installSdkResolution({ handlerPath: setup.handlerPath });
// The function's layers are its /opt (lib/local/layers).
if (setup.optDirectory) require('./in-environment/opt-paths.cjs').mapOptPaths(setup.optDirectory, setup.runtimeMajor);
/** @type {string | undefined} the invocation in progress, which an uncaught error fails */
let currentRequestId;

/** Memory the environment holds: its own heap (the process around it is shared with other environments). */
function maxMemoryMb() {
  return Math.ceil(getHeapStatistics().total_heap_size / (1024 * 1024));
}

/** @param {any} request */
function buildContext(request) {
  /** @type {Record<string, unknown>} */
  const context = {
    awsRequestId: request.requestId,
    functionName: setup.functionName,
    functionVersion: setup.functionVersion,
    invokedFunctionArn: request.invokedFunctionArn,
    memoryLimitInMB: String(setup.memoryMb),
    logGroupName: setup.logGroupName,
    logStreamName: setup.logStreamName,
    clientContext: request.clientContext,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
  };
  if (setup.runtimeMajor >= 24) context.xRayTraceId = request.traceId;
  return context;
}

/**
 * Uncaught errors end the environment, as in Lambda: logged, reported as the failure of the invocation in
 * progress (or of INIT), then the process exits (129 for an exception, 128 for a rejection).
 * @param {string} label @param {number} exitCode @param {(reason: unknown) => unknown} toError
 */
function crashOn(label, exitCode, toError) {
  return (/** @type {unknown} */ reason) => {
    const error = toError(reason);
    logError(label, error);
    channel.send({ type: 'crash', requestId: currentRequestId, error: toResponse(error), exitCode });
    // Let the message leave before the process ends (a thread's exit would drop it).
    setImmediate(() => process.exit(exitCode));
  };
}

function unhandledRejection(/** @type {unknown} */ reason) {
  const error = new Error(String(/** @type {any} */ (reason)?.toString?.() ?? reason));
  error.name = 'Runtime.UnhandledPromiseRejection';
  Object.assign(error, { reason, promise: {} });
  return error;
}

async function main() {
  patchConsole(setup.logFormat, (text) => channel.send({ type: 'log', text }));
  installAwsLambdaGlobal();
  process.on('uncaughtException', crashOn('Uncaught Exception', 129, (e) => e));
  process.on('unhandledRejection', crashOn('Unhandled Promise Rejection', 128, unhandledRejection));

  const started = performance.now();
  // Before the handler loads, so a debugger can see (and break in) its module code once attached.
  if (setup.inspector) channel.send({ type: 'inspector', ...(await require('./in-environment/inspector.cjs').openInspector(setup.inspector)) });
  let loaded;
  try {
    loaded = await loadHandler(setup);
  } catch (err) {
    logError('Init Error', err);
    channel.send({ type: 'init-error', error: toResponse(err) });
    return;
  }
  channel.send({ type: 'ready', initMs: performance.now() - started });

  channel.onMessage(async (/** @type {any} */ request) => {
    if (request.type !== 'invoke') return;
    const requestId = request.requestId;
    currentRequestId = requestId;
    setRequestId(requestId);
    process.env._X_AMZN_TRACE_ID = request.traceId;
    const sink = {
      contentType: (/** @type {string} */ contentType) => channel.send({ type: 'stream-start', requestId, contentType }),
      chunk: (/** @type {Buffer} */ data) => channel.send({ type: 'stream-chunk', requestId, data: data.toString('base64') }),
    };
    const outcome = await invokeHandler(loaded, setup.runtimeMajor, JSON.parse(request.eventJson), buildContext(request), sink, channel);
    if (outcome.ok) {
      let payloadJson;
      try {
        // Lambda serialises the result as JSON; undefined becomes null.
        payloadJson = JSON.stringify(outcome.result) ?? 'null';
      } catch (err) {
        const error = new Error(`Unable to stringify response body: ${intoError(err).message}`);
        error.name = 'Runtime.JSONStringifyError';
        logError('Invoke Error', error);
        channel.send({ type: 'error', requestId, error: toResponse(error), maxMemoryMb: maxMemoryMb() });
        return;
      }
      channel.send({ type: 'result', requestId, payloadJson, maxMemoryMb: maxMemoryMb() });
    } else {
      logError('Invoke Error', outcome.error);
      channel.send({ type: 'error', requestId, error: toResponse(outcome.error), maxMemoryMb: maxMemoryMb() });
    }
    currentRequestId = undefined;
  });
}

void main();
