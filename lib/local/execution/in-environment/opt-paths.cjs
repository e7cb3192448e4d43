// @ts-check
/*
 * Lambda puts a function's layers in /opt. Locally they are merged into a directory of the runner's own (writing
 * the machine's /opt would need root and would mix functions), so inside an environment `/opt/...` is made to
 * mean that directory: for `require` of an absolute /opt path (Module._resolveFilename) and for the node:fs calls
 * that read (readFile, stat, readdir, createReadStream, ... also fs.promises), which get the path rewritten.
 * Not covered: `import` of an absolute /opt path, child processes the handler spawns, and native code opening
 * /opt itself. Each environment has its own module registry and node:fs, so this changes nothing outside it.
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');

const OPT = '/opt';

/** The fs functions (first argument a path) a handler reads /opt with. */
const READERS = [
  'access', 'accessSync', 'createReadStream', 'exists', 'existsSync', 'lstat', 'lstatSync', 'open', 'openSync', 'opendir',
  'opendirSync', 'readdir', 'readdirSync', 'readFile', 'readFileSync', 'readlink', 'readlinkSync', 'realpath', 'realpathSync',
  'stat', 'statSync', 'watch', 'watchFile', 'copyFile', 'copyFileSync', 'cp', 'cpSync',
];
const PROMISE_READERS = ['access', 'lstat', 'open', 'opendir', 'readdir', 'readFile', 'readlink', 'realpath', 'stat', 'copyFile', 'cp'];

/**
 * Serves `/opt/...` from `optDirectory` in this thread.
 * @param {string} optDirectory
 */
function mapOptPaths(optDirectory) {
  /** @param {unknown} p */
  const mapped = (p) => {
    if (typeof p === 'string') return p === OPT || p.startsWith(`${OPT}/`) ? optDirectory + p.slice(OPT.length) : p;
    if (p instanceof URL && p.protocol === 'file:' && (p.pathname === OPT || p.pathname.startsWith(`${OPT}/`))) {
      return optDirectory + decodeURIComponent(p.pathname.slice(OPT.length));
    }
    return p;
  };
  /** @param {any} target @param {string[]} names */
  const wrap = (target, names) => {
    for (const name of names) {
      const original = target[name];
      if (typeof original !== 'function') continue;
      const wrapped = function (/** @type {unknown} */ path, /** @type {unknown[]} */ ...rest) {
        return original.call(this, mapped(path), ...rest);
      };
      // realpathSync.native, realpath.native and the like.
      for (const key of Object.keys(original)) /** @type {any} */ (wrapped)[key] = original[key];
      target[name] = wrapped;
    }
  };
  wrap(fs, READERS);
  wrap(fs.promises, PROMISE_READERS);

  const M = /** @type {any} */ (Module);
  const resolve = M._resolveFilename;
  M._resolveFilename = function resolveOpt(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
    return resolve.call(this, mapped(request), ...rest);
  };
  // The SDK resolution (lib/local/sdk) looks for the unwrapped resolver here.
  if (resolve.nodeResolve) M._resolveFilename.nodeResolve = resolve.nodeResolve;
}

module.exports = { mapOptPaths };
