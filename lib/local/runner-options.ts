import type { Clock } from './clock/clock';
import type { InspectRequest } from './functions/inspected-functions';
import type { ApiSpec } from './model/specs';
import type { EnvVarsDocument } from './overrides/env-vars';

/** How to run a synthesized app locally. */
export interface LocalRunnerOptions {
  /** The cloud assembly directory (cdk.out). */
  readonly assembly: string;
  /** Run only this stack (artifact id or stack name). @default - every stack of the assembly */
  readonly stack?: string;
  /** First port: APIs take this and the following ones, then the events endpoint. 0 = ephemeral ports. @default 3000 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default '123456789012' */
  readonly account?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Clock of schedules and retries. @default - the real clock */
  readonly clock?: Clock;
  /** Keep DynamoDB data in this directory between runs. @default - in memory */
  readonly dataDirectory?: string;
  /** Start even though the app has resources the runner does not emulate (they are listed). @default false */
  readonly allowUnsupported?: boolean;
  /** Receives each live log line. @default - console.log */
  readonly log?: (line: string) => void;
  /** Show what handlers print. @default true */
  readonly functionOutput?: boolean;
  /**
   * Functions' logs as CloudWatch would show them: `text` (Lambda's text format, indented under the runner's lines)
   * or `json` (Lambda's JSON log format; every line the runner prints is then one JSON object). @default 'text'
   */
  readonly logFormat?: 'text' | 'json';
  /** An idle on-demand environment is evicted after this long. @default 300000 */
  readonly idleTimeoutMs?: number;
  /** Serve the local dashboard (lib/local/dashboard) on the port after the events endpoint. @default true */
  readonly dashboard?: boolean;
  /**
   * Environment overrides in SAM's `--env-vars` shape: `Parameters` for every function, or a function's logical
   * id, construct id, name or `<stack>/<id>` for one (see overrides/env-vars.ts). They win over the template's
   * resolved values and the runner's endpoints. @default - none
   */
  readonly environmentVariables?: EnvVarsDocument;
  /** CloudFormation parameter values (`--parameter-overrides`), winning over the templates' defaults. @default - none */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /**
   * Environments start with the V8 inspector (`--inspect`), each on the first free port from `port` (0: an
   * ephemeral one; the URL is logged), for the functions named (logical id, construct id or name) or all.
   * Inspected functions' timeouts are not enforced and their idle environments are kept. @default - no inspector
   */
  readonly inspect?: InspectRequest;
}

/** An API as the runner serves it. */
export interface ServedApi {
  readonly kind: 'rest' | 'http';
  readonly logicalId: string;
  readonly displayName: string;
  readonly url: string;
  /** URL of each stage (REST stages and named HTTP stages are path prefixes). */
  readonly stageUrls: Readonly<Record<string, string>>;
  /** `METHOD /path` of each route. */
  readonly routes: readonly string[];
}

/** The public view of an API the runner serves at `url`. */
export function servedApi(spec: ApiSpec, url: string): ServedApi {
  const stageUrls: Record<string, string> = {};
  for (const stage of spec.stages) stageUrls[stage.name] = stage.name === '$default' ? url : `${url}/${stage.name}`;
  const routes = spec.kind === 'rest' ? spec.routes.map((r) => `${r.method} ${r.resourcePath}`) : spec.routes.map((r) => r.routeKey);
  return { kind: spec.kind, logicalId: spec.logicalId, displayName: spec.displayName, url, stageUrls, routes };
}
