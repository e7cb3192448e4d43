import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editDistance, HELP_OPTION, optionsOf, suggest } from '../../../lib/local/cli/command-line';
import { COMMANDS, LOCAL, PUT_EVENTS, TOOL_SPEC } from '../../../lib/local/cli/commands';
import { main } from '../../../lib/local/cli/main';
import { LocalRunnerError } from '../../../lib/local/errors';
import { startLocalRunner } from '../../../lib/local/runner';
import { httpApiTo, inlineFunction, writeAssembly } from '../support/handmade-assembly';
import { freePortRange } from './free-ports';

const root = join(__dirname, '../../..');
const removals: Array<() => void> = [];
afterAll(() => removals.forEach((r) => r()));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const validLocal = 'Valid options: --app, --port, --stack, --host, --region, --account, --data-dir, --allow-unsupported, --quiet, --log-format, --inspect, --inspect-function, --env-vars, --parameter-overrides, --watch, --help.';

describe('help', () => {
  test('the tool: --help, -h and help print the usage on stdout and exit 0; no command prints it and exits 2', async () => {
    const help = await run(['--help']);
    expect(help).toEqual({ code: 0, out: expect.stringMatching(/^Usage: cdk-resilient-serverless <command> \[options\]/), err: '' });
    for (const c of COMMANDS) expect(help.out).toMatch(new RegExp(`^  ${c.name} +${c.summary}$`, 'm'));
    expect(help.out).toMatch(/^ {2}-v, --version +Prints the tool's version and exits\.$/m);
    expect(help.out).toMatch(/^ {2}-h, --help +Prints this usage and exits\.$/m);
    expect(await run(['-h'])).toEqual(help);
    expect(await run(['help'])).toEqual(help);
    expect(await run(['help', '--help'])).toEqual(help);
    expect(await run([])).toEqual({ ...help, code: 2 });
  });

  test.each(COMMANDS.map((c) => [c.name, c] as const))('%s: --help, -h, help <command> and --help <command> print every option with its default', async (name, spec) => {
    const help = await run([name, '--help']);
    expect(help.code).toBe(0);
    expect(help.err).toBe('');
    expect(help.out).toMatch(new RegExp(`^Usage: cdk-resilient-serverless ${name} \\[options\\]`));
    for (const o of optionsOf(spec)) {
      const line = help.out.split('\n').find((l) => l.includes(`--${o.name}${o.bare !== undefined ? `[=<${o.placeholder}>]` : o.type === 'string' ? ` <${o.placeholder}>` : ''}  `));
      expect(line).toBeDefined();
      expect(line).toContain(o.description);
      // Every option states its default (or that it is required), except the ones that print and exit.
      if (!o.action) expect(line).toMatch(/\[(default: .+|required)\]$/);
      if (o.default !== undefined) expect(line).toContain(`[default: ${o.defaultText ?? o.default}]`);
    }
    expect(help.out).toMatch(/^ {2}-h, --help +Prints this usage and exits\.$/m);
    for (const variant of [[name, '-h'], ['help', name], ['--help', name], [name, '--port', 'x', '--bogus', '--help']]) {
      expect(await run(variant)).toEqual(help);
    }
  });

  test('local --help states the ports the runner takes', async () => {
    const { out } = await run(['local', '--help']);
    expect(out).toContain('Ports:\n  With --port P (default 3000) and N APIs in the app, the runner listens on:');
    expect(out).toMatch(/P \.\. P\+N-1 +one port per API, in this order: the HTTP APIs and function URLs/);
    expect(out).toMatch(/P\+N +the events endpoint .*; that is P when there is no API/);
    expect(out).toMatch(/P\+N\+1 +the local dashboard, a live page at \/_local\//);
    expect(out).toMatch(/ephemeral +the Lambda Invoke API and DynamoDB \(dynalite\), always on 127\.0\.0\.1/);
    expect(out).toContain('one HTTP API and one REST API with --port 3000: the HTTP API on 3000');
  });

  test('the ports the usage states are the ones the runner takes', async () => {
    const rest = (id: string) => ({
      [id]: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: id } },
      [`${id}Res`]: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: id }, ParentId: { 'Fn::GetAtt': [id, 'RootResourceId'] }, PathPart: 'r' } },
      [`${id}Get`]: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: id }, ResourceId: { Ref: `${id}Res` }, HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: { Type: 'MOCK', IntegrationResponses: [{ StatusCode: '200' }] } } },
      [`${id}Deployment`]: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: id }, StageName: 'prod' }, DependsOn: [`${id}Get`] },
    });
    const url = (id: string) => ({ [id]: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, AuthType: 'NONE' } } });
    // Template order puts the REST API first; the runner still serves the HTTP API, then the function URLs, then REST.
    const a = writeAssembly({
      A: { Resources: { Fn: inlineFunction('a'), ...rest('RestA'), ...url('UrlA'), ...httpApiTo('Fn') } },
      B: { Resources: { Fn: inlineFunction('b'), ...rest('RestB'), ...url('UrlB') } },
    });
    removals.push(a.remove);
    const runner = await startOnFreePorts(7, (port) => startLocalRunner({ assembly: a.directory, port, log: () => undefined }));
    try {
      const p = Number(new URL(runner.apis[0].url).port);
      const served = runner.apis.map((api) => `${api.logicalId}@${Number(new URL(api.url).port) - p}`);
      expect(p).toBe(lastProbed);
      expect(served).toEqual(['Api@0', 'UrlA@1', 'UrlB@2', 'RestA@3', 'RestB@4']);
      expect(Number(new URL(runner.eventsUrl).port)).toBe(p + 5);
      expect(runner.dashboardUrl).toBe(`http://127.0.0.1:${p + 6}/_local/`);
      for (const ephemeral of [runner.invokeUrl, runner.dynamoEndpoint]) expect(new URL(ephemeral).hostname).toBe('127.0.0.1');
    } finally {
      await runner.close();
    }

    const none = writeAssembly({ App: { Resources: { Fn: inlineFunction('x') } } });
    removals.push(none.remove);
    const alone = await startOnFreePorts(2, (port) => startLocalRunner({ assembly: none.directory, port, log: () => undefined }));
    try {
      expect(alone.apis).toEqual([]);
      // Without APIs the events endpoint takes P itself: the port probed free.
      expect(new URL(alone.eventsUrl).port).toBe(String(lastProbed));
      expect(new URL(alone.dashboardUrl!).port).toBe(String(lastProbed + 1));
    } finally {
      await alone.close();
    }
  });
});

let lastProbed = 0;

/** Starts on a first port whose `count` ports are free, trying again should one be taken meanwhile. */
async function startOnFreePorts<T>(count: number, start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePortRange(count);
    lastProbed = port;
    try {
      return await start(port);
    } catch (err) {
      if (!(err instanceof LocalRunnerError) || !/already in use/.test(err.message) || attempt >= 5) throw err;
    }
  }
}

describe('version', () => {
  test('--version and -v print the version of the package.json at the package root', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, out: version, err: '' });
    expect(await run(['-v'])).toEqual({ code: 0, out: version, err: '' });
  });
});

describe('usage errors: the valid choices, exit 2, no stack trace', () => {
  test('an unknown option suggests the closest one and lists the valid ones', async () => {
    const r = await run(['local', '--prot', '3000']);
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `error: unknown option '--prot' for 'local'. Did you mean --port? ${validLocal}\nRun 'cdk-resilient-serverless local --help' for usage.`,
    });
    expect((await run(['local', '--data', 'x'])).err).toContain('Did you mean --data-dir?');
    expect((await run(['local', '--alow-unsuported'])).err).toContain('Did you mean --allow-unsupported?');
    expect((await run(['put-events', '--detailtype', 'T'])).err).toContain("unknown option '--detailtype' for 'put-events'. Did you mean --detail-type? Valid options: --url, --source, --detail-type, --detail, --bus, --help.");
    const far = await run(['local', '--verbose']);
    expect(far.code).toBe(2);
    expect(far.err).toBe(`error: unknown option '--verbose' for 'local'. ${validLocal}\nRun 'cdk-resilient-serverless local --help' for usage.`);
    const short = await run(['local', '-x']);
    expect([short.code, short.err]).toEqual([2, expect.stringContaining(`unknown option '-x' for 'local'. ${validLocal}`)]);
    const tool = await run(['--verison']);
    expect([tool.code, tool.err]).toEqual([2, "error: unknown option '--verison'. Did you mean --version? Valid options: --version, --help.\nRun 'cdk-resilient-serverless --help' for usage."]);
  });

  test('a missing value names the option and its value', async () => {
    const r = await run(['local', '--app', '/somewhere', '--port']);
    expect(r).toEqual({ code: 2, out: '', err: "error: option '--port' for 'local' needs a value: --port <port>.\nRun 'cdk-resilient-serverless local --help' for usage." });
    expect((await run(['local', '--port=', '--app', '/x'])).err).toContain("option '--port' for 'local' needs a value: --port <port>.");
    const swallowed = await run(['local', '--app', '--quiet']);
    expect([swallowed.code, swallowed.err]).toEqual([2, expect.stringContaining("option '--app' for 'local' needs a value: --app <cdk.out> ('--quiet' looks like an option; write --app=--quiet if it is the value).")]);
    const put = await run(['put-events', '--source', 's', '--detail-type', 't', '--url']);
    expect([put.code, put.err]).toEqual([2, expect.stringContaining("option '--url' for 'put-events' needs a value: --url <events endpoint>.")]);
  });

  test('a stray positional argument, a value for a switch', async () => {
    const r = await run(['local', 'cdk.out']);
    expect(r).toEqual({ code: 2, out: '', err: `error: unexpected argument 'cdk.out' for 'local': it takes no positional arguments. ${validLocal}\nRun 'cdk-resilient-serverless local --help' for usage.` });
    expect((await run(['local', '--quiet', 'yes'])).err).toContain("unexpected argument 'yes' for 'local'");
    expect((await run(['local', '--', '--app'])).err).toContain("unexpected argument '--app' for 'local'");
    const sw = await run(['local', '--quiet=yes']);
    expect([sw.code, sw.err]).toEqual([2, expect.stringContaining("option '--quiet' for 'local' is a switch and takes no value, got '--quiet=yes'. Write just --quiet.")]);
    expect((await run(['--version', 'local'])).err).toContain("unexpected argument 'local': it takes no positional arguments. Valid options: --version, --help.");
    expect((await run(['help', 'local', 'now'])).code).toBe(2);
  });

  test('an unknown command, also after help', async () => {
    const r = await run(['lcoal']);
    expect(r).toEqual({ code: 2, out: '', err: "error: unknown command 'lcoal'. Did you mean local? Commands: local, put-events, cost, token, help.\nRun 'cdk-resilient-serverless --help' for usage." });
    expect(await run(['help', 'serve'])).toEqual({ code: 2, out: '', err: expect.stringContaining("unknown command 'serve'. Commands: local, put-events, cost, token, help.") });
  });

  test('values the options refuse, missing required options', async () => {
    const port = await run(['local', '--port', '70000']);
    expect([port.code, port.err]).toEqual([2, expect.stringContaining('--port must be an integer from 0 to 65535, got "70000"')]);
    const detail = await run(['put-events', '--url', 'http://127.0.0.1:1', '--source', 's', '--detail-type', 't', '--detail', '[1]']);
    expect([detail.code, detail.err]).toEqual([2, expect.stringContaining('--detail must be a JSON object, got "[1]"')]);
    const missing = await run(['put-events', '--source', 's']);
    expect([missing.code, missing.err]).toEqual([2, "error: put-events needs --url, --detail-type\nRun 'cdk-resilient-serverless put-events --help' for usage."]);
  });

  test('from the shell: help on stdout with 0, a usage error on stderr with 2 and no stack trace', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [require.resolve('tsx/cli'), join(root, 'lib/local/cli/main.ts'), ...args], { encoding: 'utf8', timeout: 30_000 });
    const help = cli('local', '--help');
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: cdk-resilient-serverless local \[options\]/);
    const bad = cli('local', '--prot', '3000');
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toBe(`error: unknown option '--prot' for 'local'. Did you mean --port? ${validLocal}\nRun 'cdk-resilient-serverless local --help' for usage.\n`);
  });
});

describe('put-events', () => {
  test('takes the events endpoint as printed, or with /events on it', async () => {
    const a = writeAssembly({ App: { Resources: { Fn: inlineFunction('x') } } });
    removals.push(a.remove);
    const runner = await startLocalRunner({ assembly: a.directory, port: 0, log: () => undefined });
    try {
      for (const url of [runner.eventsUrl, `${runner.eventsUrl}/`, `${runner.eventsUrl}/events`]) {
        const r = await run(['put-events', '--url', url, '--source', 's', '--detail-type', 't']);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.out)).toMatchObject({ FailedEntryCount: 0 });
      }
      const unknownBus = await run(['put-events', '--url', runner.eventsUrl, '--source', 's', '--detail-type', 't', '--bus', 'nope']);
      expect(unknownBus.code).toBe(1);
      expect(JSON.parse(unknownBus.out)).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ResourceNotFoundException' }] });
    } finally {
      await runner.close();
    }
  });
});

describe('the option specs', () => {
  test('names are unique, string options have a placeholder, every option states a default or is required', () => {
    for (const spec of [...COMMANDS, TOOL_SPEC]) {
      const names = optionsOf(spec).map((o) => o.name);
      expect(new Set(names).size).toBe(names.length);
      for (const o of optionsOf(spec)) {
        if (o.type === 'string') expect(o.placeholder).toBeDefined();
        if (o.type === 'string') expect([o.name, o.default ?? o.defaultText ?? (o.required ? 'required' : undefined)]).toEqual([o.name, expect.any(String)]);
      }
    }
    expect(optionsOf(LOCAL).at(-1)).toBe(HELP_OPTION);
    expect(optionsOf(PUT_EVENTS).filter((o) => o.required).map((o) => o.name)).toEqual(['url', 'source', 'detail-type']);
  });

  test('suggestions by edit distance', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(suggest('--prot', ['--app', '--port'])).toBe('--port');
    expect(suggest('--stak', ['--stack', '--host'])).toBe('--stack');
    expect(suggest('--zzz', ['--app', '--port'])).toBeUndefined();
    expect(suggest('-p', ['--port', '--app'])).toBe('--port');
    expect(suggest('-s', ['--stack', '--source'])).toBeUndefined();
  });
});
