import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { runnerCache } from '../dependencies/runner-dependencies';

/** A function whose bundle the runner checks for SDK imports. */
export interface HandlerBundle {
  readonly displayName: string;
  /** The handler's file; every script of its folder (the asset) is read. */
  readonly handlerPath: string;
}

// esbuild keeps an external import as a literal: require("x"), import("x"), import ... from "x", import "x".
const SDK_IMPORT = /(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s*|\bimport\s*)["'](@(?:aws-sdk|smithy)\/[a-z0-9._-]+)(?:\/[^"']*)?["']/g;
const SCRIPT = /\.(c|m)?js$/;

/** The `@aws-sdk/*` and `@smithy/*` packages a bundle folder's scripts import (node_modules excluded). */
export function sdkImportsOf(folder: string): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !SCRIPT.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    if (file.includes(`${sep}node_modules${sep}`)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(SDK_IMPORT)) found.add(match[1]);
  }
  return found;
}

/**
 * Gives handlers the SDK packages Lambda's runtime would: each `@aws-sdk/*` / `@smithy/*` package a bundle
 * imports and neither the handler's folder nor the app (beside the library) resolves is installed into the
 * runner's cache, once, before any environment starts (so INIT never waits on npm). A package npm cannot
 * install is reported in one line naming it and the command; the functions that import it fail when they
 * load it, with the same command in their error, and the rest of the app runs.
 */
export function prepareHandlerSdk(bundles: readonly HandlerBundle[], log: (line: string) => void): void {
  const cache = runnerCache.cacheDirectory();
  const importers = new Map<string, string[]>();
  for (const bundle of bundles) {
    for (const name of sdkImportsOf(dirname(bundle.handlerPath))) {
      const available = [dirname(bundle.handlerPath), __dirname, cache].some((place) => runnerCache.resolveFrom(place, name) !== undefined);
      if (!available) importers.set(name, [...(importers.get(name) ?? []), bundle.displayName]);
    }
  }
  if (importers.size === 0) return;
  const names = [...importers.keys()].sort();
  const users = [...new Set([...importers.values()].flat())];
  try {
    runnerCache.installPackages(cache, names, log, `imported by ${users.join(', ')}; Lambda's Node.js runtime provides the AWS SDK`);
  } catch (err) {
    if (!(err instanceof runnerCache.CacheInstallError)) throw err;
    log(`warning: ${err.message}`);
  }
}
