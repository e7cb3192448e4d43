// @ts-check
/*
 * The ES-module half of sdk-resolution.cjs on Nodes without module.registerHooks, registered with
 * module.register (it runs on Node's loader thread):
 * an `import` of an `@aws-sdk/*` or `@smithy/*` package the handler's own resolution cannot find is resolved
 * as if imported from beside the library, then from the runner's cache.
 */
import { createRequire } from 'node:module';

const { missingMessage, sdkPackageOf } = createRequire(import.meta.url)('./sdk-resolution.cjs');

/** @type {{ parentUrls: string[], cache: string }} */
let setup = { parentUrls: [], cache: '' };

/** @param {{ parentUrls: string[], cache: string }} data */
export function initialize(data) {
  setup = data;
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string, conditions: string[], importAttributes: object }} context
 * @param {(specifier: string, context?: object) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (/** @type {any} */ err) {
    const name = sdkPackageOf(specifier);
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || name === undefined) throw err;
    for (const parentURL of setup.parentUrls) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch {
        // not there either: try the next place
      }
    }
    err.message = missingMessage(name, setup.cache);
    throw err;
  }
}
