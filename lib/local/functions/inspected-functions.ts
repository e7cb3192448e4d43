import { LocalRunnerError } from '../errors';
import type { AppModel } from '../model/specs';
import type { LocalFunctionsOptions } from './local-functions';

/** What `--inspect` and `--inspect-function` ask for (LocalRunnerOptions.inspect). */
export interface InspectRequest {
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Logical ids, construct ids or names. @default - every function */
  readonly functions?: readonly string[];
}

/** The functions `--inspect` applies to, by name, and the start-up line saying where debuggers attach. */
export function inspectedFunctions(inspect: InspectRequest, model: AppModel): { settings: NonNullable<LocalFunctionsOptions['inspect']>; line: string } {
  const host = inspect.host ?? '127.0.0.1';
  if (!Number.isInteger(inspect.port) || inspect.port < 0 || inspect.port > 65535) throw new LocalRunnerError(`--inspect port must be an integer from 0 to 65535, got ${JSON.stringify(inspect.port)}`);
  let names: Set<string> | undefined;
  if (inspect.functions) {
    names = new Set();
    for (const wanted of inspect.functions) {
      const matches = model.functions.filter((f) => [f.logicalId, f.displayName, f.functionName].includes(wanted));
      if (matches.length === 0) {
        throw new LocalRunnerError(`--inspect-function ${JSON.stringify(wanted)} names no function of the app; it has ${model.functions.map((f) => `${f.displayName} (${f.logicalId})`).join(', ') || 'none'}`);
      }
      for (const f of matches) names.add(f.functionName);
    }
  }
  const which = names ? model.functions.filter((f) => names!.has(f.functionName)).map((f) => f.displayName).join(', ') : 'every function';
  const where = inspect.port === 0 ? `on ephemeral ports at ${host}` : `on ${host}:${inspect.port}, the next environment on the next free port`;
  return {
    settings: { host, port: inspect.port, ...(names ? { functions: names } : {}) },
    line: `inspector: environments of ${which} open a debugger ${where} (each URL is logged as it starts); their timeouts are not enforced and idle environments are kept`,
  };
}
