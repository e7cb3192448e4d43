// @ts-check
/*
 * One invocation, with the semantics of the function's runtime:
 * - Node.js 24 and later: the handler's value is awaited (a plain return value is the result); no callback,
 *   no context.succeed/fail/done.
 * - Node.js 22 and earlier: a returned promise settles the invocation; otherwise the callback or
 *   context.succeed/fail/done does; a callback answers once the event loop is empty while
 *   context.callbackWaitsForEmptyEventLoop is true; a handler that does none of these answers null when the
 *   event loop empties (its return value is ignored).
 * Streaming handlers (awslambda.streamifyResponse) write to a response stream on every runtime.
 */
'use strict';
const { finished } = require('node:stream/promises');
const { RuntimeError } = require('./error-document.cjs');
const { createResponseStream, HIGH_WATER_MARK } = require('./response-stream.cjs');

/** @typedef {{ ok: true, result: unknown } | { ok: false, error: unknown }} Outcome */
/** @typedef {{ contentType: (type: string) => void, chunk: (data: Buffer) => void }} StreamSink */
/** @typedef {{ ref: () => void, unref: () => void }} KeepAlive the channel to the pool, which must not count as pending work */

/** @param {any} value */
function isPromise(value) {
  return Boolean(value && typeof value.then === 'function');
}

/**
 * @param {{ fn: Function, streaming: boolean }} loaded
 * @param {number} runtimeMajor
 * @param {unknown} event
 * @param {Record<string, unknown>} context
 * @param {StreamSink} sink
 * @param {KeepAlive} keepAlive
 * @returns {Promise<Outcome>}
 */
function invokeHandler(loaded, runtimeMajor, event, context, sink, keepAlive) {
  if (loaded.streaming) return invokeStreaming(loaded.fn, event, context, sink);
  if (runtimeMajor >= 24) return invokeAwaited(loaded.fn, event, context);
  return invokeLegacy(loaded.fn, event, context, keepAlive);
}

/** @param {Function} fn @param {unknown} event @param {object} context @returns {Promise<Outcome>} */
async function invokeAwaited(fn, event, context) {
  try {
    return { ok: true, result: await fn(event, context) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * @param {Function} fn @param {unknown} event @param {object} context @param {StreamSink} sink
 * @returns {Promise<Outcome>}
 */
async function invokeStreaming(fn, event, context, sink) {
  const stream = createResponseStream(sink, /** @type {any} */ (fn)[HIGH_WATER_MARK]);
  try {
    const returned = fn(event, stream, context);
    if (!isPromise(returned)) return { ok: false, error: 'Streaming does not support non-async handlers.' };
    const value = await returned;
    if (value !== undefined) console.warn('Streaming handlers ignore return values.');
    if (!stream.writableEnded) return { ok: false, error: 'Response stream is not finished.' };
    await finished(stream);
    return { ok: true, result: undefined };
  } catch (error) {
    stream.destroy();
    return { ok: false, error };
  }
}

/**
 * @param {Function} fn @param {unknown} event @param {Record<string, unknown>} context @param {KeepAlive} keepAlive
 * @returns {Promise<Outcome>}
 */
function invokeLegacy(fn, event, context, keepAlive) {
  return new Promise((resolve) => {
    let settled = false;
    /** @type {Outcome | undefined} */
    let waiting;
    const isAsync = fn.constructor?.name === 'AsyncFunction';
    /** @param {Outcome} outcome */
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      process.removeListener('beforeExit', onEmptyEventLoop);
      keepAlive.ref();
      resolve(outcome);
    };
    // Runs when nothing is left to do: the callback's answer, or null (an async handler that never settled fails).
    const onEmptyEventLoop = () => {
      if (waiting) settle(waiting);
      else if (isAsync) settle({ ok: false, error: new RuntimeError('NodeJsExit', 'Runtime exited without providing a reason') });
      else settle({ ok: true, result: null });
    };
    let waitsForEmptyEventLoop = true;
    /** @param {unknown} error @param {unknown} result @returns {Outcome} */
    const outcomeOf = (error, result) => (error !== undefined && error !== null ? { ok: false, error } : { ok: true, result });
    let called = false;
    const callback = (/** @type {unknown} */ error, /** @type {unknown} */ result) => {
      if (called) return;
      called = true;
      if (waitsForEmptyEventLoop) waiting = outcomeOf(error, result);
      else settle(outcomeOf(error, result));
    };
    const immediate = (/** @type {unknown} */ error, /** @type {unknown} */ result) => settle(outcomeOf(error, result));
    Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
      get: () => waitsForEmptyEventLoop,
      set: (value) => { waitsForEmptyEventLoop = Boolean(value); },
      enumerable: true,
    });
    context.done = immediate;
    context.succeed = (/** @type {unknown} */ result) => immediate(undefined, result);
    context.fail = (/** @type {unknown} */ error) => immediate(error ?? new Error('handled'), undefined);

    process.on('beforeExit', onEmptyEventLoop);
    keepAlive.unref();
    try {
      const returned = fn(event, context, callback);
      if (isPromise(returned)) returned.then((/** @type {unknown} */ value) => immediate(undefined, value), (/** @type {unknown} */ error) => immediate(error ?? new Error('handled'), undefined));
    } catch (error) {
      callback(error, undefined);
    }
  });
}

module.exports = { invokeHandler };
