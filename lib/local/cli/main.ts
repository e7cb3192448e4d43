#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalRunnerError } from '../errors';
import { formatSummary } from '../observe/run-summary';
import { readEnvVarsFile } from '../overrides/env-vars';
import { parseParameterOverrides } from '../overrides/parameter-overrides';
import type { LocalRunnerOptions, startLocalRunner as StartLocalRunner } from '../runner';
import type { HotReload } from '../watch/hot-reload';
import { commandUsage, CommandSpec, parseCommand, suggest, TOOL, UsageError, ValuesOf } from './command-line';
import { COMMANDS, COST, inspectAddress, LOCAL, PUT_EVENTS, TOKEN, TOOL_SPEC } from './commands';
import { runCost } from '../../cost/command';
import { batchedStdout } from './batched-stdout';
import { startupReport } from './startup-report';

type Io = { out: (s: string) => void; err: (s: string) => void };

/**
 * Runs the CLI; resolves with the exit code: 0 done (help, version, a put event), 1 the run failed,
 * 2 the command line is wrong (no command, unknown command or option, missing value). The `local` command
 * resolves when stopped by a signal.
 */
/** The CLI's own output: stdout lines batched per turn of the event loop (see batched-stdout.ts). */
function processIo(): Io {
  const stdout = batchedStdout();
  return {
    out: stdout.line,
    err: (s) => {
      stdout.flush();
      console.error(s);
    },
  };
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  // The runner's own SDK client (dynalite) would warn about Node 20; it runs on the developer's machine, not in Lambda.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    if (command === undefined) {
      io.out(commandUsage(TOOL_SPEC));
      return 2;
    }
    if (command === 'local') {
      const parsed = parseCommand(LOCAL, rest);
      return parsed.help ? usage(LOCAL, io) : await runLocal(parsed.values, io);
    }
    if (command === 'put-events') {
      const parsed = parseCommand(PUT_EVENTS, rest);
      return parsed.help ? usage(PUT_EVENTS, io) : await putEvents(parsed.values, io);
    }
    if (command === 'cost') {
      const parsed = parseCommand(COST, rest);
      return parsed.help ? usage(COST, io) : runCost(parsed.values, io.out);
    }
    if (command === 'token') {
      const parsed = parseCommand(TOKEN, rest);
      return parsed.help ? usage(TOKEN, io) : token(parsed.values, io);
    }
    if (command === 'help') {
      const [topic, ...extra] = rest.filter((a) => a !== '--help' && a !== '-h');
      return usage(commandNamed(topic) ?? TOOL_SPEC, io, extra);
    }
    if (command.startsWith('-')) {
      const parsed = parseCommand(TOOL_SPEC, argv);
      // `--help local` is `help local`.
      if (parsed.help) return usage(commandNamed(argv.find((a) => !a.startsWith('-'))) ?? TOOL_SPEC, io);
      if (parsed.values.version) {
        io.out(packageVersion());
        return 0;
      }
      io.out(commandUsage(TOOL_SPEC)); // only `--`: no command
      return 2;
    }
    throw unknownCommand(command);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n${err.hint}`);
      return 2;
    }
    if (err instanceof LocalRunnerError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    io.err(`error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

function usage(spec: CommandSpec, io: Io, extra: readonly string[] = []): number {
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' for 'help': it takes one command name`);
  io.out(commandUsage(spec));
  return 0;
}

/** The command of that name; undefined for no name; an unknown name is a UsageError. */
function commandNamed(name: string | undefined): CommandSpec | undefined {
  if (name === undefined) return undefined;
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw unknownCommand(name);
  return spec;
}

function unknownCommand(name: string): UsageError {
  const names = [...COMMANDS.map((c) => c.name), 'help'];
  const suggestion = suggest(name, names);
  return new UsageError(`unknown command '${name}'.${suggestion ? ` Did you mean ${suggestion}?` : ''} Commands: ${names.join(', ')}.`);
}

/**
 * The version in the package's own package.json: lib/local/cli/main.ts (tsx, jest) and dist/local/cli/main.js
 * (the packed bin) are both three levels below the package root.
 */
export function packageVersion(): string {
  const file = join(__dirname, '..', '..', '..', 'package.json');
  let pkg: { name?: unknown; version?: unknown };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg;
  } catch (err) {
    throw new LocalRunnerError(`Cannot read the version from ${file}: ${(err as Error).message}`);
  }
  if (pkg.name !== TOOL || typeof pkg.version !== 'string') throw new LocalRunnerError(`${file} is not the package.json of ${TOOL}`);
  return pkg.version;
}

async function runLocal(values: ValuesOf<typeof LOCAL>, io: Io): Promise<number> {
  // A bad --env-vars file is reported before a synth that takes seconds.
  const overrides = overrideOptions(values);
  const assembly = values.app ?? synthesizeIfPossible(io);
  const project = values.watch && values.app === undefined && existsSync('cdk.json') ? process.cwd() : undefined;
  // Loaded here, not at the top: help, version and usage errors must work before the runner's own
  // dependencies (the DynamoDB SDK, dynalite) are installed.
  const { startLocalRunner } = require('../runner') as { startLocalRunner: typeof StartLocalRunner };
  const runner = await startLocalRunner({
    assembly,
    port: Number(values.port),
    host: values.host,
    ...(values.stack ? { stack: values.stack } : {}),
    region: values.region,
    account: values.account,
    ...(values['data-dir'] ? { dataDirectory: resolve(values['data-dir']) } : {}),
    allowUnsupported: values['allow-unsupported'],
    functionOutput: !values.quiet,
    logFormat: values['log-format'] === 'json' ? 'json' : 'text',
    log: io.out,
    ...overrides,
  });
  // In the JSON log format every line is one object, the start-up report and the summary included.
  const print = values['log-format'] === 'json' ? (text: string) => io.out(JSON.stringify({ time: new Date().toISOString(), type: 'runner', message: text })) : io.out;
  // Ctrl-C is handled before the report says it stops the runner: a signal sent on reading it must not kill.
  let watch: HotReload | undefined;
  const stopped = new Promise<number>((done) => {
    const stop = async () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      watch?.stopWatching();
      print(formatSummary(await runner.close()));
      watch?.close();
      done(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  print(startupReport(runner, `${runner.model.functions[0]?.stackName ?? 'app'} from ${resolve(assembly)}`));
  if (values.watch) {
    const { startWatch } = require('../watch/hot-reload') as typeof import('../watch/hot-reload');
    watch = startWatch(runner, {
      assembly, ...(project ? { project } : {}), ...(values.stack ? { stack: values.stack } : {}), region: values.region, account: values.account,
      ...(overrides.parameterOverrides ? { parameterOverrides: overrides.parameterOverrides } : {}), log: print,
    });
  }
  return stopped;
}

/** --inspect, --inspect-function, --env-vars and --parameter-overrides as runner options (their values are checked). */
function overrideOptions(values: ValuesOf<typeof LOCAL>): Pick<LocalRunnerOptions, 'inspect' | 'environmentVariables' | 'parameterOverrides'> {
  const functions = values['inspect-function']?.split(',').map((n) => n.trim());
  const address = values.inspect !== undefined || functions ? inspectAddress(values.inspect ?? '9229') : undefined;
  return {
    ...(address ? { inspect: { ...address, ...(functions ? { functions } : {}) } } : {}),
    ...(values['env-vars'] !== undefined ? { environmentVariables: readEnvVarsFile(resolve(values['env-vars'])) } : {}),
    ...(values['parameter-overrides'] !== undefined ? { parameterOverrides: parseParameterOverrides(values['parameter-overrides']) } : {}),
  };
}

/** Without --app: synthesize with the CDK CLI when there is a cdk.json, else use ./cdk.out as it is. */
function synthesizeIfPossible(io: { out: (s: string) => void }): string {
  const cwd = process.cwd();
  if (!existsSync(join(cwd, 'cdk.json'))) return join(cwd, 'cdk.out');
  io.out('Synthesizing with `cdk synth` (cdk.json found)...');
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', 'cdk.out'], {
    cwd,
    // stdout too: `tsc` (in cdk.json's `npx tsc && ...` apps) prints its errors there.
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' },
  });
  if (result.status !== 0) throw new LocalRunnerError(`\`cdk synth\` failed (exit ${result.status ?? result.signal}); fix the app or pass --app <cdk.out directory>.`);
  return join(cwd, 'cdk.out');
}

async function putEvents(values: ValuesOf<typeof PUT_EVENTS>, io: Io): Promise<number> {
  // The endpoint as printed at start-up, or with the `/events` path already on it.
  const endpoint = values.url.replace(/\/+$/, '').replace(/\/events$/, '');
  const response = await fetch(`${endpoint}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Source: values.source, DetailType: values['detail-type'], Detail: values.detail, EventBusName: values.bus }),
  }).catch((err: Error) => {
    throw new LocalRunnerError(`Cannot reach the events endpoint ${values.url} (--url): ${err.message}`);
  });
  const text = await response.text();
  let body: { FailedEntryCount?: number };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new LocalRunnerError(`${endpoint}/events (--url) answered HTTP ${response.status} with no JSON: is it the events endpoint \`local\` printed?`);
  }
  io.out(JSON.stringify(body));
  return response.ok && !body.FailedEntryCount ? 0 : 1;
}

function token(values: ValuesOf<typeof TOKEN>, io: Io): number {
  // Loaded here, like the runner: the other commands must not pay for reading assemblies.
  const { mintTokenCommand } = require('../auth/token-command') as typeof import('../auth/token-command');
  io.out(mintTokenCommand({
    assembly: values.app, claims: values.claims, expiresIn: values['expires-in'], account: values.account, region: values.region,
    ...(values.stack ? { stack: values.stack } : {}), ...(values.authorizer ? { authorizer: values.authorizer } : {}), ...(values['data-dir'] ? { dataDirectory: values['data-dir'] } : {}),
  }));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
    batchedStdout().flush();
    console.error(err);
    process.exit(1);
  });
}
