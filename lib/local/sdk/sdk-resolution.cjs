// @ts-check
/*
 * The AWS SDK as Lambda provides it, inside an execution environment. Lambda's Node.js runtimes ship SDK v3
 * and NodejsFunction leaves `@aws-sdk/*` out of bundles, so handlers `require`/`import` packages their asset
 * does not hold. When the normal resolution (from the handler's file) fails for an `@aws-sdk/*` or
 * `@smithy/*` package, this looks beside the library (the app's own node_modules when the library is
 * installed in the app) and then in the runner's cache, where the runner installed at start-up what the
 * bundles import (handler-sdk.ts). Plain CommonJS without worker_threads APIs, so a worker thread and a child
 * process can both install it.
 */
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

/** The runner cache module, loaded on the first miss: an environment whose imports all resolve never pays for it. */
const runnerCache = () => require('../dependencies/runner-cache.cjs');

const SDK_PACKAGE = /^@(aws-sdk|smithy)\/[^/]+/;

/** The package an SDK specifier names (`@aws-sdk/lib-dynamodb` of `@aws-sdk/lib-dynamodb/dist-cjs/x`), else undefined. */
function sdkPackageOf(/** @type {unknown} */ specifier) {
  return typeof specifier === 'string' ? SDK_PACKAGE.exec(specifier)?.[0] : undefined;
}

/** The message of a failed SDK import: the package, where the runner looked, the command that installs it. */
function missingMessage(/** @type {string} */ name, /** @type {string} */ cache) {
  return `Cannot find module '${name}': Lambda's runtime provides it, but neither the app nor the runner's cache (${cache}) has it. Run: ${runnerCache().packagesCommand(cache, [name])}`;
}

/** Whether Node loads this handler file as an ES module: `.mjs`, or `.js` under a `"type": "module"` package.json. */
function isEsModuleHandler(/** @type {string | undefined} */ handlerPath) {
  if (handlerPath === undefined || handlerPath.endsWith('.cjs')) return false;
  if (handlerPath.endsWith('.mjs')) return true;
  for (let dir = dirname(handlerPath); ; dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type === 'module';
    } catch (/** @type {any} */ err) {
      if (err?.code !== 'ENOENT') return false;
    }
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Makes `@aws-sdk/*` and `@smithy/*` resolve for CommonJS `require` and ES `import` in this process or thread:
 * the handler's own resolution first, then beside the library, then the runner's cache
 * ($CDK_RESILIENT_SERVERLESS_CACHE as the runner passes it). Idempotent.
 * @param {{ handlerPath?: string }} setup the environment's handler: decides whether Node 20 needs the ES hook
 */
function installSdkResolution(setup = {}, /** @type {NodeJS.ProcessEnv} */ env = process.env) {
  if (/** @type {any} */ (globalThis).__cdkResilientSdkResolution) return;
  /** @type {any} */ (globalThis).__cdkResilientSdkResolution = true;
  /** @type {{ cache: string, places: string[], parentUrls: string[] } | undefined} */
  let known;
  const where = () => {
    if (known) return known;
    const cache = runnerCache().cacheDirectory(env);
    const places = [join(__dirname, '..'), cache];
    return (known = { cache, places, parentUrls: places.map((p) => pathToFileURL(join(p, 'index.js')).href) });
  };

  const M = /** @type {any} */ (Module);
  const original = M._resolveFilename;
  M._resolveFilename = function resolveWithSdk(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
    try {
      return original.call(this, request, ...rest);
    } catch (/** @type {any} */ err) {
      const name = sdkPackageOf(request);
      if (err?.code !== 'MODULE_NOT_FOUND' || name === undefined) throw err;
      for (const place of where().places) {
        const found = runnerCache().resolveFrom(place, request);
        if (found !== undefined) return found;
      }
      err.message = missingMessage(name, where().cache);
      throw err;
    }
  };
  /** @type {any} */ (M._resolveFilename).nodeResolve = original;

  if (typeof M.registerHooks === 'function') {
    // Node >= 22.15: synchronous hooks on this thread, cheap enough for every environment. `require` already
    // goes through the wrapper above, so only `import` misses reach the catch.
    M.registerHooks({
      resolve(/** @type {string} */ specifier, /** @type {any} */ context, /** @type {Function} */ nextResolve) {
        try {
          return nextResolve(specifier, context);
        } catch (/** @type {any} */ err) {
          const name = sdkPackageOf(specifier);
          if (err?.code !== 'ERR_MODULE_NOT_FOUND' || name === undefined) throw err;
          for (const parentURL of where().parentUrls) {
            try {
              return nextResolve(specifier, { ...context, parentURL });
            } catch {
              // not there either: try the next place
            }
          }
          err.message = missingMessage(name, where().cache);
          throw err;
        }
      },
    });
  } else if (typeof M.register === 'function' && isEsModuleHandler(setup.handlerPath)) {
    // Older Nodes (20.6+): hooks on a loader thread, which costs each environment about 60 ms more at start,
    // so only ES-module handlers get it (a CommonJS handler's rare `import()` of the SDK is not covered there).
    M.register('./sdk-resolve-hook.mjs', pathToFileURL(__filename), { data: { parentUrls: where().parentUrls, cache: where().cache } });
  }
}

module.exports = { installSdkResolution, isEsModuleHandler, missingMessage, sdkPackageOf };
