// @ts-check
/*
 * The inside of one execution environment: runs in its own worker thread, so it has its own module
 * registry (module scope survives between invocations exactly as in Lambda) and its own process.env.
 * Plain CommonJS so the same file runs from the TypeScript sources (jest, tsx) and from the compiled package.
 * Message shapes are described in protocol.ts.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { format } = require('node:util');

/** @type {import('node:worker_threads').MessagePort} */
const port = /** @type {any} */ (parentPort);
const { handlerPath, handlerName, functionName, functionVersion, memoryMb, logGroupName, logStreamName } = workerData;
// SDK imports resolve as Lambda's runtime provides them (issue 12, lib/local/sdk); before any handler code loads.
require('../sdk/sdk-resolution.cjs').installSdkResolution({ handlerPath });

/** Request id of the invocation in progress, prefixed to log lines as the Lambda Node.js runtime does. */
let currentRequestId = 'undefined';

function patchConsole() {
  /** @param {'INFO'|'WARN'|'ERROR'|'DEBUG'|'TRACE'} level @param {NodeJS.WriteStream} stream */
  const writer = (level, stream) => (/** @type {unknown[]} */ ...args) => {
    stream.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`);
  };
  console.log = writer('INFO', process.stdout);
  console.info = writer('INFO', process.stdout);
  console.debug = writer('DEBUG', process.stdout);
  console.trace = writer('TRACE', process.stdout);
  console.warn = writer('WARN', process.stderr);
  console.error = writer('ERROR', process.stderr);
}

/**
 * Lambda's error document: what the Invoke API returns as the payload of a failed invocation.
 * @param {unknown} err
 * @param {string} [forcedType]
 */
function toLambdaError(err, forcedType) {
  if (err instanceof Error) {
    return {
      errorType: forcedType ?? (err.name || 'Error'),
      errorMessage: err.message,
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  // Like the runtime: a non-Error rejection is reported by its string form.
  return { errorType: forcedType ?? 'Error', errorMessage: typeof err === 'string' ? err : safeJson(err), trace: [] };
}

function safeJson(/** @type {unknown} */ value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Loads the bundled handler once: this is the function's INIT phase. */
async function loadHandler() {
  let mod;
  try {
    mod = handlerPath.endsWith('.mjs') ? await import(pathToFileURL(handlerPath).href) : require(handlerPath);
  } catch (err) {
    throw { lambdaError: toLambdaError(err, 'Runtime.ImportModuleError') };
  }
  const fn = mod?.[handlerName] ?? mod?.default?.[handlerName];
  if (typeof fn !== 'function') {
    throw {
      lambdaError: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${handlerPath}.${handlerName} is undefined or not exported`,
        trace: [],
      },
    };
  }
  return fn;
}

/**
 * Calls the handler the way the Node.js runtime does: a returned promise wins; otherwise a handler that
 * declares a third parameter answers through the callback; otherwise its return value is the result.
 */
function callHandler(/** @type {Function} */ fn, /** @type {unknown} */ event, /** @type {object} */ context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (/** @type {unknown} */ err, /** @type {unknown} */ result) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err);
      else resolve(result);
    };
    const returned = fn(event, context, callback);
    if (returned && typeof returned.then === 'function') {
      returned.then((/** @type {unknown} */ value) => callback(null, value), (/** @type {unknown} */ err) => callback(err ?? new Error('Handler rejected'), undefined));
    } else if (fn.length < 3) {
      callback(null, returned);
    }
  });
}

function buildContext(/** @type {any} */ request) {
  return {
    awsRequestId: request.requestId,
    functionName,
    functionVersion,
    invokedFunctionArn: request.invokedFunctionArn,
    memoryLimitInMB: String(memoryMb),
    logGroupName,
    logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    clientContext: request.clientContext,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
  };
}

async function main() {
  patchConsole();
  const started = performance.now();
  let fn;
  try {
    fn = await loadHandler();
  } catch (/** @type {any} */ failure) {
    port.postMessage({ type: 'init-error', error: failure?.lambdaError ?? toLambdaError(failure) });
    return;
  }
  port.postMessage({ type: 'ready', initMs: performance.now() - started });

  // A crash between or during invocations ends the environment, as it does in Lambda.
  const crash = (/** @type {string} */ errorType) => (/** @type {unknown} */ err) => {
    port.postMessage({ type: 'crash', error: toLambdaError(err, errorType) });
    process.exit(129);
  };
  process.on('uncaughtException', crash('Runtime.UncaughtException'));
  process.on('unhandledRejection', crash('Runtime.UnhandledPromiseRejection'));

  port.on('message', async (/** @type {any} */ request) => {
    if (request.type !== 'invoke') return;
    currentRequestId = request.requestId;
    try {
      const result = await callHandler(fn, JSON.parse(request.eventJson), buildContext(request));
      // Lambda serialises the result as JSON; undefined becomes null.
      port.postMessage({ type: 'result', requestId: request.requestId, payloadJson: JSON.stringify(result) ?? 'null' });
    } catch (err) {
      port.postMessage({ type: 'error', requestId: request.requestId, error: toLambdaError(err) });
    } finally {
      currentRequestId = 'undefined';
    }
  });
}

void main();
