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
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { cacheDirectory, packagesCommand, resolveFrom } = require('../dependencies/runner-cache.cjs');

const SDK_PACKAGE = /^@(aws-sdk|smithy)\/[^/]+/;

/** The package an SDK specifier names (`@aws-sdk/lib-dynamodb` of `@aws-sdk/lib-dynamodb/dist-cjs/x`), else undefined. */
function sdkPackageOf(/** @type {unknown} */ specifier) {
  return typeof specifier === 'string' ? SDK_PACKAGE.exec(specifier)?.[0] : undefined;
}

/** The message of a failed SDK import: the package, where the runner looked, the command that installs it. */
function missingMessage(/** @type {string} */ name, /** @type {string} */ cache) {
  return `Cannot find module '${name}': Lambda's runtime provides it, but neither the app nor the runner's cache (${cache}) has it. Run: ${packagesCommand(cache, [name])}`;
}

/**
 * Makes `@aws-sdk/*` and `@smithy/*` resolve for CommonJS `require` and ES `import` in this process or thread:
 * the handler's own resolution first, then beside the library, then the runner's cache
 * ($CDK_RESILIENT_SERVERLESS_CACHE as the runner passes it). Idempotent.
 */
function installSdkResolution(/** @type {NodeJS.ProcessEnv} */ env = process.env) {
  if (/** @type {any} */ (globalThis).__cdkResilientSdkResolution) return;
  /** @type {any} */ (globalThis).__cdkResilientSdkResolution = true;
  const cache = cacheDirectory(env);
  const places = [join(__dirname, '..'), cache];

  const M = /** @type {any} */ (Module);
  const original = M._resolveFilename;
  M._resolveFilename = function resolveWithSdk(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
    try {
      return original.call(this, request, ...rest);
    } catch (/** @type {any} */ err) {
      const name = sdkPackageOf(request);
      if (err?.code !== 'MODULE_NOT_FOUND' || name === undefined) throw err;
      for (const place of places) {
        const found = resolveFrom(place, request);
        if (found !== undefined) return found;
      }
      err.message = missingMessage(name, cache);
      throw err;
    }
  };

  // module.register exists from Node 20.6; before it ES imports resolve only from the handler's file.
  if (typeof M.register === 'function') {
    M.register('./sdk-resolve-hook.mjs', pathToFileURL(__filename), {
      data: { parentUrls: places.map((p) => pathToFileURL(join(p, 'index.js')).href), cache },
    });
  }
}

module.exports = { installSdkResolution, missingMessage, sdkPackageOf };
