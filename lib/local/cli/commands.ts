import { parseParameterOverrides } from '../overrides/parameter-overrides';
import { CommandSpec, TOOL } from './command-line';
import { KNOWN_REGIONS } from '../../cost/prices';
import { checkTrafficFlag } from '../../cost/traffic';

/**
 * The commands of the CLI, one spec each: the usage text, the parseArgs option table and the error messages
 * are all derived from these, so they cannot disagree.
 */

const port = (value: string) => (/^\d+$/.test(value) && Number(value) <= 65535 ? undefined : 'must be an integer from 0 to 65535');
const logFormat = (value: string) => (value === 'text' || value === 'json' ? undefined : "must be 'text' (as CloudWatch shows Lambda's text format) or 'json' (Lambda's JSON log format, one object a line)");
const jsonObject = (value: string) => {
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : 'must be a JSON object';
  } catch {
    return 'must be a JSON object';
  }
};

/** `--inspect=[host:]port`: the host and first port of the environments' inspectors. */
export function inspectAddress(value: string): { host: string; port: number } | undefined {
  const match = /^(?:([^:]+):)?(\d+)$/.exec(value);
  return match && Number(match[2]) <= 65535 ? { host: match[1] ?? '127.0.0.1', port: Number(match[2]) } : undefined;
}
const inspectCheck = (value: string) => (inspectAddress(value) ? undefined : 'must be [host:]port with a port from 0 to 65535 (0: ephemeral ports), e.g. --inspect=9229 or --inspect=0.0.0.0:9229');
const functionNames = (value: string) => (value.split(',').every((n) => n.trim() !== '') ? undefined : 'must be function names separated by commas');
const parameterPairs = (value: string) => {
  try {
    parseParameterOverrides(value);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

export const LOCAL = {
  name: 'local',
  summary: 'Runs a synthesized CDK app on this machine.',
  description: [
    'Runs a synthesized CDK app (a cloud assembly) on this machine: Lambda functions, API Gateway REST and HTTP',
    'APIs, function URLs, EventBridge rules and schedules, DynamoDB tables (in dynalite). Without --app it runs',
    '`cdk synth` first when ./cdk.json exists. It prints every URL once up; Ctrl-C stops it and prints a summary.',
  ],
  options: [
    { name: 'app', type: 'string', placeholder: 'cdk.out', defaultText: './cdk.out, synthesized first when ./cdk.json exists', description: 'The cloud assembly directory to run.' },
    { name: 'port', type: 'string', placeholder: 'port', default: '3000', check: port, description: 'First port: the APIs, then the events endpoint (see Ports); 0 = ephemeral ports.' },
    { name: 'stack', type: 'string', placeholder: 'name', defaultText: 'every stack of the assembly', description: 'Runs only this stack (artifact id or stack name).' },
    { name: 'host', type: 'string', placeholder: 'address', default: '127.0.0.1', description: 'Address the APIs and the events endpoint listen on (0.0.0.0 = every interface).' },
    { name: 'region', type: 'string', placeholder: 'region', default: 'us-east-1', description: 'Fake region of ARNs, intrinsics and AWS_REGION.' },
    { name: 'account', type: 'string', placeholder: '12 digits', default: '123456789012', description: 'Fake account id of ARNs and intrinsics.' },
    { name: 'data-dir', type: 'string', placeholder: 'dir', defaultText: 'in memory', description: 'Keeps the DynamoDB (dynalite) data in this directory between runs.' },
    { name: 'allow-unsupported', type: 'boolean', description: 'Starts even with resources the runner does not emulate (it lists them).' },
    { name: 'quiet', type: 'boolean', description: 'Hides what the handlers print; invocation lines are still shown.' },
    { name: 'log-format', type: 'string', placeholder: 'text|json', default: 'text', check: logFormat, description: "Functions' logs as CloudWatch shows them: text, or json (Lambda's JSON log format, for tools)." },
    { name: 'inspect', type: 'string', placeholder: '[host:]port', bare: '127.0.0.1:9229', defaultText: 'off', check: inspectCheck, description: 'Environments start with the Node.js inspector, the first on port, the next on the following free ports (see Debugging).' },
    { name: 'inspect-function', type: 'string', placeholder: 'name[,name]', defaultText: 'every function, with --inspect', check: functionNames, description: 'Inspects only these functions (logical id, construct id or name); implies --inspect.' },
    { name: 'env-vars', type: 'string', placeholder: 'file.json', defaultText: "the template's values", description: "Environment variables in SAM's --env-vars JSON; they win over the template's (see Overrides)." },
    { name: 'parameter-overrides', type: 'string', placeholder: 'Key=Value ...', defaultText: "the templates' defaults", check: parameterPairs, description: "CloudFormation parameter values, as SAM takes them: 'Key=Value Key2=Value2' (see Overrides)." },
    { name: 'watch', type: 'boolean', description: 'On a source change, synthesizes again and swaps the changed functions in; routes, rules and tables stay up (see Watch).' },
  ],
  sections: [
    {
      title: 'Ports',
      lines: [
        'With --port P (default 3000) and N APIs in the app, the runner listens on:',
        '  P .. P+N-1  one port per API, in this order: the HTTP APIs and function URLs (AWS::Lambda::Url) stack',
        "              by stack (each stack's HTTP APIs before its function URLs), then the REST APIs stack by",
        '              stack; template order within a stack',
        '  P+N         the events endpoint (EventBridge PutEvents and POST /events); that is P when there is no API',
        '  P+N+1       the local dashboard, a live page at /_local/ (environments, invocations with their event,',
        '              response and log, breakers, queues and dead letters, schedules)',
        '  ephemeral   the Lambda Invoke API and DynamoDB (dynalite), always on 127.0.0.1',
        'E.g. one HTTP API and one REST API with --port 3000: the HTTP API on 3000 (its $default stage at the root),',
        'the REST API on 3001 (under /<stage>), the events endpoint on 3002, the dashboard on 3003. --host applies to',
        'the APIs, the events endpoint and the dashboard; --port 0 makes every port ephemeral. The start-up report',
        'prints every URL. A port in use stops the start and names the port.',
      ],
    },
    {
      title: 'Layers',
      lines: [
        "A function's layers (lambda.LayerVersion in the app, folder or .zip asset) are merged in its Layers order into",
        "a directory of its own that stands for /opt; NODE_PATH is Lambda's (/opt/nodejs/node<major>/node_modules, then",
        '/opt/nodejs/node_modules, then the code directory), and `/opt/...` paths the handler requires or reads with',
        'node:fs are served from that directory. A layer of another account (an ARN not defined in the app) stops the',
        'start, naming the function and the ARN.',
      ],
    },
    {
      title: 'Debugging',
      lines: [
        "--inspect (port 9229) or --inspect=[host:]port: each environment opens the Node.js inspector on the first free",
        'port from that one (port 0: ephemeral ports) and the runner prints its ws:// URL. Attach with chrome://inspect',
        '(add host:port) or VS Code\'s "Attach" (port). An environment starts on its first request; inspected',
        "functions' timeouts are not enforced (a breakpoint is not a timeout) and their idle environments are kept.",
        '--inspect-function Name limits it to some functions.',
      ],
    },
    {
      title: 'Overrides',
      lines: [
        '--env-vars env.json: {"Parameters": {"VAR": "v"}, "<function>": {"VAR": "v"}}, as SAM reads it: Parameters for',
        "every function, then the function's own object, found by logical id, construct id (as printed), function",
        "name or <stack>/<id>. They win over the template's values and the runner's endpoints (AWS_ENDPOINT_URL_*).",
        'Unlike SAM, a variable the template does not declare is added (and said so); a key naming no function is a',
        'warning. --parameter-overrides: values of the stacks\' Parameters, checked against AllowedValues and the like.',
        'Both are printed at start.',
      ],
    },
    {
      title: 'Watch',
      lines: [
        "--watch with ./cdk.json (no --app): the project's folders are watched (not node_modules, .git, the output",
        "folder, dot folders, nor cdk.json's watch.exclude); on a save the app is synthesized again into a temporary",
        'folder (a synthesizer kept alive between saves when the app command is `[npx] tsx|ts-node|node <file>`,',
        'else the command itself), and the functions whose code or configuration changed get new environments:',
        'requests in flight finish on the old code, new ones get the new code; the others stay warm. Routes, rules,',
        'schedules, tables and their data stay as they are; a change to them is named as needing a restart. A synth',
        'error keeps the old code serving. With --app: the assembly folder is watched for a synth you run.',
      ],
    },
    {
      title: 'Dependencies',
      lines: [
        'The first start installs what the library does not ship (dynalite and the DynamoDB client, pinned) and the',
        "AWS SDK packages the handlers import that the app lacks (Lambda's runtime provides them) into the runner's",
        'cache, and says so. The cache: $CDK_RESILIENT_SERVERLESS_CACHE/<version>, by default',
        '~/.cache/cdk-resilient-serverless/<version> ($XDG_CACHE_HOME honoured). Without the npm registry it names',
        'the npm command to run.',
      ],
    },
  ],
  examples: [
    `${TOOL} local`,
    `${TOOL} local --app cdk.out --port 4000 --stack MyStack --data-dir .local-data`,
    `${TOOL} local --inspect --inspect-function Hello`,
    `${TOOL} local --watch`,
    `${TOOL} local --env-vars env.json --parameter-overrides 'Stage=dev LogLevel=DEBUG'`,
  ],
} as const satisfies CommandSpec;

export const PUT_EVENTS = {
  name: 'put-events',
  summary: 'Puts one event on a bus of a running local app.',
  description: [
    'Puts one event on a bus of a running `local` app through its events endpoint (POST <url>/events) and prints',
    'the PutEvents result. Exits 1 when the entry failed (unknown bus, malformed detail).',
  ],
  options: [
    { name: 'url', type: 'string', placeholder: 'events endpoint', required: true, description: 'The events endpoint `local` printed at start-up, e.g. http://127.0.0.1:3002.' },
    { name: 'source', type: 'string', placeholder: 'source', required: true, description: "The event's source, e.g. example.orders." },
    { name: 'detail-type', type: 'string', placeholder: 'type', required: true, description: "The event's detail-type, e.g. OrderPlaced." },
    { name: 'detail', type: 'string', placeholder: 'json', default: '{}', check: jsonObject, description: "The event's detail, a JSON object." },
    { name: 'bus', type: 'string', placeholder: 'name or ARN', default: 'default', description: 'The event bus to put the event on.' },
  ],
  examples: [
    `${TOOL} put-events --url http://127.0.0.1:3002 --source example.orders --detail-type OrderPlaced --detail '{"orderId":"o-1"}'`,
  ],
} as const satisfies CommandSpec;

const knownRegion = (value: string) => (KNOWN_REGIONS.includes(value) ? undefined : `must be a region with recorded prices: ${KNOWN_REGIONS.join(', ')} (lib/cost/prices.ts)`);
const percent = (value: string) => (/^\d+(\.\d+)?$/.test(value) && Number(value) <= 100 ? undefined : 'must be a percentage from 0 to 100 (0.1 = one request in a thousand)');

export const COST = {
  name: 'cost',
  summary: "Prices each function of a synthesized app: on-demand, warmer, provisioned concurrency, Managed Instances.",
  description: [
    'For every Lambda function of a synthesized CDK app (a cloud assembly), estimates the monthly cost and the cold',
    'starts requests see on demand, with the warmer schedules it has (and one sized to its traffic), with its',
    'provisioned concurrency as synthesized (fixed, scheduled, autoscaled) and one following its traffic, and on',
    'Lambda Managed Instances where the runtime allows; INIT is billed as AWS bills it since 2025-08-01. Then',
    'recommends one option per function, with its reason. Reads the templates only: nothing is deployed or started.',
  ],
  options: [
    { name: 'app', type: 'string', placeholder: 'cdk.out', default: 'cdk.out', description: 'The cloud assembly directory (run `npx cdk synth` first).' },
    { name: 'stack', type: 'string', placeholder: 'name', defaultText: 'every stack of the assembly', description: 'Prices only this stack (artifact id or stack name).' },
    { name: 'region', type: 'string', placeholder: 'region', default: 'us-east-1', check: knownRegion, description: `Whose prices to use: ${KNOWN_REGIONS.join(', ')}.` },
    { name: 'traffic', type: 'string', placeholder: 'file', defaultText: 'none: built-in defaults and the flags', description: 'JSON traffic shape: {"default": {...}, "functions": {"<logical id or path>": {...}}} (see Traffic).' },
    { name: 'requests-per-month', type: 'string', placeholder: 'n', check: (v: string) => checkTrafficFlag('requestsPerMonth', v), defaultText: '1000000', description: 'Requests a month, per function.' },
    { name: 'peak-concurrency', type: 'string', placeholder: 'n', check: (v: string) => checkTrafficFlag('peakConcurrency', v), defaultText: "twice the busiest hour's average, at least 1", description: 'Concurrent requests at the busiest moment.' },
    { name: 'avg-duration-ms', type: 'string', placeholder: 'ms', check: (v: string) => checkTrafficFlag('avgDurationMs', v), defaultText: '100', description: 'Average duration of a request.' },
    { name: 'init-ms', type: 'string', placeholder: 'ms', check: (v: string) => checkTrafficFlag('initMs', v), defaultText: '250', description: "Duration of a cold start's INIT phase." },
    { name: 'business-hours', type: 'string', placeholder: 'START-END', check: (v: string) => checkTrafficFlag('businessHours', v), defaultText: 'round the clock', description: 'Hours (UTC, Monday to Friday) that carry --business-share of the requests, e.g. 8-18.' },
    { name: 'business-share', type: 'string', placeholder: 'fraction', check: (v: string) => checkTrafficFlag('businessShare', v), defaultText: '0.8', description: 'Share of the requests within --business-hours.' },
    { name: 'cold-start-budget', type: 'string', placeholder: 'percent', default: '0.1', check: percent, description: 'Cold starts a function may see, in % of its requests, before a keep-warm option is recommended.' },
    { name: 'json', type: 'boolean', description: 'Prints the report as JSON (every figure, the traffic used, prices and assumptions).' },
  ],
  sections: [
    {
      title: 'Traffic',
      lines: [
        'Each function gets the built-in defaults, then the file\'s "default", then the flags, then its own entry in the',
        'file\'s "functions" (keyed by logical id, construct path like "Hello", or "Stack/Hello"). Fields: requestsPerMonth,',
        'peakConcurrency, avgDurationMs, initMs, businessHours ("8-18"), businessShare. Functions only schedules invoke',
        'run as often as their schedules fire, unless their own entry sets requestsPerMonth.',
      ],
    },
  ],
  examples: [
    `${TOOL} cost --app cdk.out`,
    `${TOOL} cost --region eu-west-1 --requests-per-month 5000000 --business-hours 8-18 --avg-duration-ms 80`,
    `${TOOL} cost --traffic traffic.json --json`,
  ],
} as const satisfies CommandSpec;

export const TOKEN = {
  name: 'token',
  summary: "Mints a token for a JWT or Cognito authorizer of the app, signed by the runner's local issuer.",
  description: [
    "Prints a JWT that a JWT authorizer (HTTP API) or a Cognito user pools authorizer (REST API) of the app accepts",
    "when `local` runs it: the runner checks such tokens against its own key (kept in the runner cache, or in",
    "--data-dir/auth), not the real issuer's. iss, aud (Cognito: token_use id, or access with client_id when the",
    'claims have a scope), sub, iat and exp are filled in; --claims adds or overrides any of them.',
  ],
  options: [
    { name: 'app', type: 'string', placeholder: 'cdk.out', default: 'cdk.out', description: 'The cloud assembly directory `local` runs.' },
    { name: 'stack', type: 'string', placeholder: 'name', defaultText: 'every stack of the assembly', description: 'Looks for the authorizer in this stack only.' },
    { name: 'authorizer', type: 'string', placeholder: 'name', defaultText: 'the only JWT or Cognito authorizer', description: "The authorizer's name (its Name, construct path or id)." },
    { name: 'claims', type: 'string', placeholder: 'json', default: '{}', check: jsonObject, description: `Claims to add or override, e.g. '{"sub":"u1","scope":"read"}'.` },
    { name: 'expires-in', type: 'string', placeholder: 'duration', default: '1h', description: 'Lifetime: seconds, or 90s, 30m, 1h, 7d.' },
    { name: 'data-dir', type: 'string', placeholder: 'dir', defaultText: 'the runner cache', description: 'The --data-dir `local` runs with: its auth/ folder holds the signing key.' },
    { name: 'region', type: 'string', placeholder: 'region', default: 'us-east-1', description: 'The --region `local` runs with (user pool issuers name it).' },
    { name: 'account', type: 'string', placeholder: '12 digits', default: '123456789012', description: 'The --account `local` runs with.' },
  ],
  examples: [
    `${TOOL} token --app cdk.out --authorizer orders-jwt --claims '{"sub":"u1","scope":"orders:read"}' --expires-in 1h`,
    `curl -H "Authorization: Bearer $(${TOOL} token --authorizer orders-jwt)" http://localhost:3000/orders`,
  ],
} as const satisfies CommandSpec;

/** The commands, in the order the tool's usage lists them. */
export const COMMANDS: readonly CommandSpec[] = [LOCAL, PUT_EVENTS, COST, TOKEN];

/** The tool itself: `--help` (optionally naming a command) and `--version`. */
export const TOOL_SPEC = {
  name: TOOL,
  summary: 'Runs a synthesized CDK app locally.',
  usage: [`${TOOL} <command> [options]`, `${TOOL} help [<command>]`, `${TOOL} --version`],
  description: ['Runs a synthesized AWS CDK app on this machine, and prices its functions: no Docker, no AWS account.'],
  commands: [
    ...COMMANDS.map((c) => [c.name, c.summary] as const),
    ['help [<command>]', 'Prints the usage of the tool, or of the command (as `<command> --help`).'],
  ],
  options: [
    { name: 'version', short: 'v', type: 'boolean', action: true, description: "Prints the tool's version and exits." },
  ],
  sections: [{ title: 'More', lines: [`Run '${TOOL} <command> --help' for the options of a command.`] }],
} as const satisfies CommandSpec;
