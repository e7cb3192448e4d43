// @ts-check
/*
 * The console of a handler, as the Node.js runtime patches it: every line carries its timestamp, the request
 * id and its level, in Lambda's text format (tab-separated, newlines turned into carriage returns so one call
 * stays one log event) or its JSON format ({timestamp, level, requestId, message}). Lines go to the pool over
 * the environment's message channel, so they arrive in order with the invocation's result.
 */
'use strict';
const { format } = require('node:util');
const { intoError, toLogged } = require('./error-document.cjs');

const LEVELS = /** @type {const} */ (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
/** @typedef {typeof LEVELS[number]} Level */

let requestId = 'undefined';
/** @type {'text'|'json'} */
let logFormat = 'text';
let minimumLevel = 0;
/** @type {(line: string) => void} */
let output = (line) => process.stdout.write(line + '\n');

/** @param {string} id */
function setRequestId(id) {
  requestId = id;
}

/** @param {Level} level @param {unknown[]} args */
function write(level, args) {
  if (LEVELS.indexOf(level) < minimumLevel) return;
  const timestamp = new Date().toISOString();
  const line = logFormat === 'json' ? jsonLine(timestamp, level, args) : [timestamp, requestId, level, format(...args)].join('\t');
  output(line.replace(/\n/g, '\r'));
}

/** @param {string} timestamp @param {Level} level @param {unknown[]} args */
function jsonLine(timestamp, level, args) {
  /** @type {Record<string, unknown>} */
  const record = { timestamp, level, requestId };
  const [message, ...params] = args;
  if (params.length === 0) {
    record.message = message;
    try {
      return JSON.stringify(record, (_key, value) => (value instanceof Error ? errorFields(value) : value));
    } catch {
      record.message = format(message);
      return JSON.stringify(record);
    }
  }
  record.message = format(...args);
  const error = params.find((p) => p instanceof Error);
  if (error instanceof Error) Object.assign(record, errorFields(error));
  return JSON.stringify(record);
}

/** @param {Error} error */
function errorFields(error) {
  return {
    errorType: error.constructor?.name ?? 'UnknownError',
    errorMessage: error.message,
    stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
  };
}

/**
 * Replaces console.* (log/info → INFO, warn → WARN, error → ERROR, debug → DEBUG, trace → TRACE, fatal → FATAL).
 * In the JSON format, lines below AWS_LAMBDA_LOG_LEVEL (default INFO) are dropped, as Lambda's log-level
 * filtering does; the text format keeps every line.
 * @param {'text'|'json'} chosenFormat
 * @param {(line: string) => void} writeLine
 */
function patchConsole(chosenFormat, writeLine) {
  logFormat = chosenFormat;
  output = writeLine;
  const wanted = String(process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase();
  minimumLevel = chosenFormat === 'json' ? Math.max(0, LEVELS.indexOf(/** @type {Level} */ (wanted))) : 0;
  /** @param {Level} level */
  const writer = (level) => (/** @type {unknown[]} */ ...args) => write(level, args);
  console.log = writer('INFO');
  console.info = writer('INFO');
  console.warn = writer('WARN');
  console.error = writer('ERROR');
  console.debug = writer('DEBUG');
  console.trace = writer('TRACE');
  /** @type {any} */ (console).fatal = writer('FATAL');
}

/**
 * The runtime's own error lines (`Invoke Error`, `Uncaught Exception`, `Init Error`).
 * @param {string} message @param {unknown} error
 */
function logError(message, error) {
  if (logFormat === 'json') write('ERROR', [message, intoError(error)]);
  else write('ERROR', [message, toLogged(intoError(error))]);
}

module.exports = { patchConsole, setRequestId, logError };
