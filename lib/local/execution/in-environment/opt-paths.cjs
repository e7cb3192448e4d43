// @ts-check
/*
 * Lambda puts a function's layers in /opt. Locally they are merged into a directory of the runner's own (writing
 * the machine's /opt would need root and would mix functions), so inside an environment `/opt/...` is made to
 * mean that directory: for `require` of an absolute /opt path (Module._resolveFilename) and for the node:fs calls
 * that read (readFile, stat, readdir, createReadStream, ... also fs.promises), which get the path rewritten.
 * Where Node.js has synchronous module hooks (22.15+), `import` too: an absolute /opt path, and a bare specifier
 * the handler's own resolution misses, looked up in /opt/nodejs/node<major>/node_modules then
 * /opt/nodejs/node_modules (ES-module resolution ignores NODE_PATH; Lambda resolves layer packages for ES modules
 * itself). Not covered: `import` on older Node.js, child processes the handler spawns, native code opening /opt.
 * Each environment has its own module registry and node:fs, so this changes nothing outside it.
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

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
 * @param {string} optDirectory @param {number} runtimeMajor
 */
function mapOptPaths(optDirectory, runtimeMajor) {
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

  if (typeof M.registerHooks !== 'function') return;
  // Resolving from a file in /opt/nodejs/node<major>/ searches its node_modules, then /opt/nodejs/node_modules.
  const layerParent = pathToFileURL(join(optDirectory, 'nodejs', `node${runtimeMajor}`, 'index.mjs')).href;
  M.registerHooks({
    resolve(/** @type {string} */ specifier, /** @type {any} */ context, /** @type {Function} */ nextResolve) {
      // These hooks see `require` too (its path is mapped by then): an absolute path stays a path, a URL a URL.
      if (specifier.startsWith('file:')) {
        const opt = mapped(new URL(specifier));
        if (typeof opt === 'string') return nextResolve(pathToFileURL(opt).href, context);
      } else if (mapped(specifier) !== specifier) {
        return nextResolve(mapped(specifier), context);
      }
      try {
        return nextResolve(specifier, context);
      } catch (/** @type {any} */ err) {
        const bare = !/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
        if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !bare) throw err;
        try {
          return nextResolve(specifier, { ...context, parentURL: layerParent });
        } catch {
          throw err;
        }
      }
    },
  });
}

module.exports = { mapOptPaths };
