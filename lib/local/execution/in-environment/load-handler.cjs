// @ts-check
/*
 * The INIT phase: loads the handler module and finds the handler, with the errors the Node.js runtime reports.
 */
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { RuntimeError } = require('./error-document.cjs');

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/**
 * A `.js` file is an ES module when the nearest package.json up to the task root says `"type": "module"`
 * (the runtime then loads it with import(), so top-level await works); `.mjs` always is, `.cjs` never.
 * @param {string} file @param {string} taskRoot
 */
function isEsModule(file, taskRoot) {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === taskRoot || dirname(dir) === dir || !dir.startsWith(taskRoot)) return false;
  }
}

/** @param {unknown} err */
function classifyLoadError(err) {
  const e = /** @type {any} */ (err);
  if (err instanceof SyntaxError) {
    const wrapped = new RuntimeError('UserCodeSyntaxError', String(err));
    wrapped.stack = e.stack;
    return wrapped;
  }
  if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) return new RuntimeError('ImportModuleError', String(err));
  // Anything else the module throws while loading is reported as itself.
  return err;
}

/**
 * Loads the module and returns the handler and whether it streams its response.
 * @param {{ handlerPath: string, handlerName: string, handler: string, taskRoot: string, runtimeMajor: number }} setup
 */
async function loadHandler(setup) {
  let mod;
  try {
    mod = isEsModule(setup.handlerPath, setup.taskRoot) ? await import(pathToFileURL(setup.handlerPath).href) : require(setup.handlerPath);
  } catch (err) {
    throw classifyLoadError(err);
  }
  const fn = mod?.[setup.handlerName] ?? mod?.default?.[setup.handlerName];
  if (fn === undefined) throw new RuntimeError('HandlerNotFound', `${setup.handler} is undefined or not exported`);
  if (typeof fn !== 'function') throw new RuntimeError('HandlerNotFound', `${setup.handler} is not a function`);
  const streamMark = fn[STREAMING];
  if (streamMark && streamMark !== 'response') throw new RuntimeError('MalformedStreamingHandler', 'Only response streaming is supported.');
  const streaming = streamMark === 'response';
  // Node.js 24 runtimes refuse a handler that takes a callback, at INIT.
  if (setup.runtimeMajor >= 24 && !streaming && fn.length >= 3) throw new RuntimeError('CallbackHandlerDeprecated', CALLBACK_REMOVED);
  return { fn, streaming };
}

module.exports = { loadHandler };
