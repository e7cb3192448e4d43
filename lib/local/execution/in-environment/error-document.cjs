// @ts-check
/*
 * Lambda's error document, built the way the Node.js runtime interface client builds it: what the Invoke API
 * returns for a failed invocation ({errorType, errorMessage, trace}) and what the log shows ({..., stack}).
 */
'use strict';
const { types } = require('node:util');

/** A runtime error whose type Lambda names `Runtime.<Name>`. */
class RuntimeError extends Error {
  /** @param {string} name @param {string} message */
  constructor(name, message) {
    super(message);
    this.name = `Runtime.${name}`;
  }
}

/** @param {any} value */
function looksLikeError(value) {
  return Boolean(value && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string' && value.name && value.message && value.stack);
}

/**
 * The response document: an Error keeps its name, message and stack; anything else thrown is reported by its
 * JavaScript type (`throw 'x'` is a `string`, `throw {}` an `object`) and its string form.
 * @param {unknown} error
 */
function toResponse(error) {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      const e = /** @type {Error} */ (error);
      return { errorType: e.name, errorMessage: e.message, trace: String(e.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/** @param {unknown} error */
function intoError(error) {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The JSON the runtime logs after `Invoke Error` / `Uncaught Exception`: the error's own enumerable properties
 * plus errorType, errorMessage, code and the stack as an array of lines, after a tab.
 * @param {unknown} error
 */
function toLogged(error) {
  /** @param {string} _key @param {unknown} value */
  const replacer = (_key, value) => {
    if (!(value instanceof Error)) return value;
    const enumerable = Object.assign({ errorType: value.name, errorMessage: value.message, code: /** @type {any} */ (value).code }, value);
    if (typeof value.stack === 'string') /** @type {any} */ (enumerable).stack = value.stack.split('\n');
    return enumerable;
  };
  try {
    return '\t' + JSON.stringify(error, replacer);
  } catch {
    return '\t' + JSON.stringify(toResponse(error));
  }
}

module.exports = { RuntimeError, toResponse, toLogged, intoError };
