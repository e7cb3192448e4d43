import { spawnSync } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { main } from '../../../lib/local/cli/main';
import { startLocalRunner } from '../../../lib/local/runner';
import { httpApiTo, inlineFunction, writeAssembly } from '../support/handmade-assembly';
import { freePortRange } from './free-ports';

const removals: Array<() => void> = [];
afterAll(() => removals.forEach((r) => r()));

function assembly(stacks: Parameters<typeof writeAssembly>[0]): string {
  const a = writeAssembly(stacks);
  removals.push(a.remove);
  return a.directory;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Listening sockets of this process; a closed server's handle is released on a later turn of the event loop. */
async function listeningServers(): Promise<number> {
  await new Promise((r) => setTimeout(r, 20));
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
}

function listenOn(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const good = () => assembly({ App: { Resources: { Hello: inlineFunction('hi', { ReservedConcurrentExecutions: 5 }), Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Hello' }, FunctionVersion: '1', Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } } }, ...httpApiTo('Hello') } } });

describe('bad input: a clear message, a non-zero exit, nothing left running', () => {
  test('a missing cdk.out', async () => {
    const before = await listeningServers();
    const r = await run(['local', '--app', '/nonexistent/cdk.out', '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No cloud assembly at \/nonexistent\/cdk.out: the directory does not exist. Run `npx cdk synth` first or pass --app/);
    expect(await listeningServers()).toBe(before);
  });

  test('--data-dir that is a file, or lies under one: one line naming it, nothing left running', async () => {
    const file = join(assembly({}), 'not-a-dir');
    writeFileSync(file, '');
    const before = await listeningServers();
    for (const dir of [file, join(file, 'sub')]) {
      const r = await run(['local', '--app', good(), '--port', '0', '--data-dir', dir]);
      expect([r.code, r.err]).toEqual([1, `error: --data-dir ${dir} is a file (or lies under one), not a directory: choose a directory`]);
    }
    expect(await listeningServers()).toBe(before);
  });

  test('--data-dir held by another live runner: one line naming its pid; a stale claim is taken over', async () => {
    const dir = join(assembly({}), 'data');
    const first = await startLocalRunner({ assembly: good(), port: 0, dataDirectory: dir, log: () => undefined });
    try {
      writeFileSync(join(dir, 'runner.pid'), String(process.ppid)); // a live process that is not this one
      const r = await run(['local', '--app', good(), '--port', '0', '--data-dir', dir]);
      expect([r.code, r.err]).toEqual([1, `error: --data-dir ${dir} is in use by another local runner (pid ${process.ppid}): stop that one or choose another directory`]);
    } finally {
      await first.close();
    }
    writeFileSync(join(dir, 'runner.pid'), '999999999'); // a runner that died without releasing it
    const again = await startLocalRunner({ assembly: good(), port: 0, dataDirectory: dir, log: () => undefined });
    await again.close();
  });

  test('a directory without manifest.json', async () => {
    const dir = assembly({});
    rmSync(join(dir, 'manifest.json'));
    const r = await run(['local', '--app', dir, '--port', '0']);
    expect([r.code, r.err]).toEqual([1, expect.stringContaining('manifest.json is missing')]);
  });

  test('a corrupt manifest and a corrupt template name the file', async () => {
    const dir = assembly({ App: { Resources: {} } });
    writeFileSync(join(dir, 'manifest.json'), '{"artifacts": ');
    const manifest = await run(['local', '--app', dir, '--port', '0']);
    expect([manifest.code, manifest.err]).toEqual([1, expect.stringMatching(/Corrupt cloud assembly manifest .*manifest.json: not valid JSON/)]);

    const dir2 = assembly({ App: { Resources: {} } });
    writeFileSync(join(dir2, 'App.template.json'), 'not json');
    const template = await run(['local', '--app', dir2, '--port', '0']);
    expect([template.code, template.err]).toEqual([1, expect.stringMatching(/Corrupt template of stack App .*App.template.json: not valid JSON/)]);
  });

  test('--log-format takes text or json only, and says so before anything starts', async () => {
    const before = await listeningServers();
    const r = await run(['local', '--app', good(), '--log-format', 'yaml', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--log-format must be 'text' (as CloudWatch shows Lambda's text format) or 'json' (Lambda's JSON log format, one object a line), got "yaml"`);
    expect(await listeningServers()).toBe(before);
  });

  test('an unknown stack lists the stacks there are', async () => {
    const r = await run(['local', '--app', good(), '--stack', 'Nope', '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Unknown stack "Nope" \(--stack\): the assembly at .* has App\./);
  });

  test('a port in use: everything started before the failure (dynalite, servers, provisioned environments) is stopped', async () => {
    // Outside the ephemeral range, so that the runner's own sockets cannot take the next port first.
    const port = await freePortRange(2);
    const blocker = await listenOn(port);
    const before = await listeningServers();
    // The provisioned environment's INIT starts a heartbeat into a file: it grows only while the environment lives.
    const heartbeat = join(assembly({}), 'heartbeat.log');
    const code = `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(heartbeat)}, 'init'); setInterval(() => fs.appendFileSync(${JSON.stringify(heartbeat)}, '.'), 10);
exports.handler = async () => ({ statusCode: 200, body: 'hi' });`;
    const app = assembly({ App: { Resources: {
      Hello: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { ZipFile: code } } },
      Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Hello' }, FunctionVersion: '1', Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } } },
      ...httpApiTo('Hello'),
    } } });
    try {
      const r = await run(['local', '--app', app, '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`Port ${port} on 127.0.0.1 (for HTTP API Api) is already in use`);
      expect(r.err).toContain('--port');
      expect(await listeningServers()).toBe(before);
      // The events endpoint had taken the next port; it is free again.
      const again = await listenOn(port + 1);
      await new Promise((r2) => again.close(r2));
      const size = statSync(heartbeat).size;
      await new Promise((r2) => setTimeout(r2, 100));
      expect(statSync(heartbeat).size).toBe(size);
    } finally {
      await new Promise((r2) => blocker.close(r2));
    }
  });

  test('an unsupported resource stops the start and says which, how and what to do; --allow-unsupported starts anyway', async () => {
    const dir = assembly({ App: { Resources: {
      Hello: inlineFunction('hi'),
      Db: { Type: 'AWS::RDS::DBInstance', Properties: {} },
      Py: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', Code: { ZipFile: 'def handler(e, c): pass' } } },
    } } });
    const before = await listeningServers();
    const r = await run(['local', '--app', dir, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('App/Db (AWS::RDS::DBInstance): the local runner does not emulate this resource type');
    expect(r.err).not.toContain('App/Py'); // a function of another runtime is left out, not a reason to stop
    expect(r.err).toContain('--allow-unsupported');
    expect(await listeningServers()).toBe(before);

    const runner = await startLocalRunner({ assembly: dir, port: 0, allowUnsupported: true, log: () => undefined });
    expect(runner.model.unsupported.map((u) => u.logicalId).sort()).toEqual(['Db', 'Py']);
    expect((await runner.invoke('Hello', {})).payload).toEqual({ statusCode: 200, body: 'hi' });
    await runner.close();
  });

  test('a provisioned environment that fails its INIT stops the start', async () => {
    const dir = assembly({ App: { Resources: {
      Broken: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { ZipFile: "throw new Error('config missing');" } } },
      Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Broken' }, FunctionVersion: '1', Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } } },
    } } });
    const before = await listeningServers();
    const r = await run(['local', '--app', dir, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Provisioned concurrency could not start:\n.*provisioned concurrency failed INIT: Error: config missing/);
    expect(await listeningServers()).toBe(before);
  });

  test('bad options and commands: usage errors exit 2, what the runner refuses exits 1', async () => {
    const port = await run(['local', '--app', good(), '--port', 'abc']);
    expect([port.code, port.err]).toEqual([2, expect.stringContaining('--port must be an integer from 0 to 65535, got "abc"')]);
    const region = await run(['local', '--app', good(), '--region', 'moon']);
    expect([region.code, region.err]).toEqual([1, expect.stringContaining('--region must look like us-east-1, got "moon"')]);
    expect((await run(['local', '--bogus'])).code).toBe(2);
    expect((await run(['serve'])).code).toBe(2);
    const put = await run(['put-events', '--url', 'http://127.0.0.1:1']);
    expect([put.code, put.err]).toEqual([2, expect.stringContaining('put-events needs --source, --detail-type')]);
  });

  test('an unreachable events endpoint or one that does not answer JSON', async () => {
    const args = ['--source', 's', '--detail-type', 't'];
    const down = await run(['put-events', '--url', 'http://127.0.0.1:1', ...args]);
    expect([down.code, down.err]).toEqual([1, expect.stringContaining('error: Cannot reach the events endpoint http://127.0.0.1:1 (--url)')]);
    const server = createServer((_req, res) => res.end('<html>not here</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const html = await run(['put-events', '--url', url, ...args]);
      expect(html).toEqual({ code: 1, out: '', err: `error: ${url}/events (--url) answered HTTP 200 with no JSON: is it the events endpoint \`local\` printed?` });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('the CLI process exits with status 1 and the message on stderr', () => {
    const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '../../../lib/local/cli/main.ts'), 'local', '--app', '/nonexistent/cdk.out'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: No cloud assembly at /nonexistent/cdk.out');
  });
});
