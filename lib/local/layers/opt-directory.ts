import { cpSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LocalRunnerError } from '../errors';
import type { FunctionSpec } from '../model/specs';
import { unzip } from './unzip';

/**
 * Where a function's layers are merged: its own /opt. Lambda extracts the layers into /opt in the order the
 * function lists them, later layers overwriting files of earlier ones; without root there is no /opt to write,
 * so each function gets a directory under the runner's scratch directory instead (see in-environment/opt-paths.cjs
 * for how `/opt/...` paths reach it).
 */
export function optDirectoryOf(scratchDirectory: string, stackName: string, logicalId: string): string {
  return join(scratchDirectory, 'opt', `${stackName}-${logicalId}`);
}

/** Fills every function's /opt directory from its layers (a directory copied, a zip extracted), in order. */
export function assembleOptDirectories(functions: readonly FunctionSpec[]): void {
  for (const fn of functions) {
    if (!fn.optDirectory || !fn.layers?.length) continue;
    mkdirSync(fn.optDirectory, { recursive: true });
    for (const layer of fn.layers) {
      try {
        if ('zip' in layer.content) unzip(layer.content.zip, fn.optDirectory);
        else cpSync(layer.content.directory, fn.optDirectory, { recursive: true, force: true });
      } catch (err) {
        throw new LocalRunnerError(`Function ${fn.displayName} (${fn.stackName}/${fn.logicalId}): layer ${layer.arn} cannot be put in its /opt (${fn.optDirectory}): ${(err as Error).message}`);
      }
    }
  }
}

/**
 * NODE_PATH as Lambda's Node.js bootstrap sets it when the function does not (`/opt/nodejs/node<major>/node_modules`,
 * `/opt/nodejs/node_modules`, `/var/runtime/node_modules`, `/var/runtime`, `/var/task`), with the function's /opt
 * directory for /opt and its code directory for /var/task. The runtime's own directories have no local
 * counterpart: the SDK they hold is provided by lib/local/sdk.
 */
export function lambdaNodePath(runtimeMajor: number, taskRoot: string, optDirectory: string | undefined): string {
  const opt = optDirectory ? [join(optDirectory, 'nodejs', `node${runtimeMajor}`, 'node_modules'), join(optDirectory, 'nodejs', 'node_modules')] : [];
  return [...opt, taskRoot].join(delimiter);
}
