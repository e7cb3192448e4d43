#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalRunnerError } from '../errors';
import { formatSummary } from '../observe/run-summary';
import { startLocalRunner } from '../runner';
import { startupReport } from './startup-report';

const USAGE = `Usage:
  cdk-resilient-serverless local [--app <cdk.out>] [--port 3000] [--stack NAME] [--host 127.0.0.1]
                                 [--region us-east-1] [--account 123456789012] [--data-dir DIR]
                                 [--allow-unsupported] [--quiet]
      Runs a synthesized CDK app on this machine. Without --app it runs \`cdk synth\` first when cdk.json exists.
  cdk-resilient-serverless put-events --url <events endpoint> --source S --detail-type T [--detail JSON] [--bus NAME]
      Puts one event on a bus of a running local app.`;

/** Runs the CLI; resolves with the exit code (the `local` command resolves when stopped by a signal). */
export async function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  const [command, ...rest] = argv;
  // The runner's own SDK client (dynalite) would warn about Node 20; it runs on the developer's machine, not in Lambda.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    if (command === 'local') return await runLocal(rest, io);
    if (command === 'put-events') return await putEvents(rest, io);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    io.err(`Unknown command ${JSON.stringify(command)}.\n${USAGE}`);
    return 2;
  } catch (err) {
    if (err instanceof LocalRunnerError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${(err as Error).message}`);
      return 1;
    }
    io.err(`error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

async function runLocal(args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'app': { type: 'string' },
      'port': { type: 'string', default: '3000' },
      'stack': { type: 'string' },
      'host': { type: 'string', default: '127.0.0.1' },
      'region': { type: 'string' },
      'account': { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-unsupported': { type: 'boolean', default: false },
      'quiet': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new LocalRunnerError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
  const assembly = values.app ?? synthesizeIfPossible(io);
  const runner = await startLocalRunner({
    assembly,
    port,
    host: values.host!,
    ...(values.stack ? { stack: values.stack } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.account ? { account: values.account } : {}),
    ...(values['data-dir'] ? { dataDirectory: resolve(values['data-dir']) } : {}),
    allowUnsupported: values['allow-unsupported'],
    functionOutput: !values.quiet,
    log: io.out,
  });
  io.out(startupReport(runner, `${runner.model.functions[0]?.stackName ?? 'app'} from ${resolve(assembly)}`));
  return new Promise<number>((done) => {
    const stop = async () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.out(formatSummary(await runner.close()));
      done(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Without --app: synthesize with the CDK CLI when there is a cdk.json, else use ./cdk.out as it is. */
function synthesizeIfPossible(io: { out: (s: string) => void }): string {
  const cwd = process.cwd();
  if (!existsSync(join(cwd, 'cdk.json'))) return join(cwd, 'cdk.out');
  io.out('Synthesizing with `cdk synth` (cdk.json found)...');
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', 'cdk.out'], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' },
  });
  if (result.status !== 0) throw new LocalRunnerError(`\`cdk synth\` failed (exit ${result.status ?? result.signal}); fix the app or pass --app <cdk.out directory>.`);
  return join(cwd, 'cdk.out');
}

async function putEvents(args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'url': { type: 'string' }, 'source': { type: 'string' }, 'detail-type': { type: 'string' }, 'detail': { type: 'string', default: '{}' }, 'bus': { type: 'string' } },
    strict: true,
  });
  const missing = ['url', 'source', 'detail-type'].filter((k) => !values[k as keyof typeof values]);
  if (missing.length > 0) throw new LocalRunnerError(`put-events needs ${missing.map((m) => `--${m}`).join(', ')}`);
  try {
    JSON.parse(values.detail!);
  } catch {
    throw new LocalRunnerError(`--detail must be a JSON object, got ${JSON.stringify(values.detail)}`);
  }
  const response = await fetch(`${values.url!.replace(/\/$/, '')}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Source: values.source, DetailType: values['detail-type'], Detail: values.detail, ...(values.bus ? { EventBusName: values.bus } : {}) }),
  }).catch((err: Error) => {
    throw new LocalRunnerError(`Cannot reach the events endpoint ${values.url} (--url): ${err.message}`);
  });
  const body = (await response.json()) as { FailedEntryCount?: number };
  io.out(JSON.stringify(body));
  return response.ok && !body.FailedEntryCount ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
    console.error(err);
    process.exit(1);
  });
}
