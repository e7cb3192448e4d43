import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LocalRunner, startLocalRunner } from '../../../lib/local/runner';
import { freePortRange } from '../cli/free-ports';
import { connectInspector, inspectorTargets } from '../support/inspector-client';
import { ProbeAssembly, synthesizeProbe } from '../support/probe-app';

/*
 * `--inspect`: each environment of an inspected function opens the V8 inspector; a debugger attaches with the
 * inspector protocol (https://chromedevtools.github.io/devtools-protocol/v8/Debugger/): the target list at
 * http://host:port/json/list, then Debugger.enable, Debugger.setBreakpointByUrl, Debugger.paused on the next
 * invocation, Debugger.resume. SAM's --debug-port does not enforce the function timeout while debugging; nor
 * does the runner.
 */

const HANDLER = [
  'exports.handler = async (event) => {',
  '  const answer = `hello ${event.name}`;', // line 1 (0-based): the breakpoint
  '  return { answer, major: Number(process.versions.node.split(".")[0]) };',
  '};',
].join('\n');

let work: string;
let probe: ProbeAssembly;
let runner: LocalRunner | undefined;
let lines: string[];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'inspect-'));
  lines = [];
});
afterEach(async () => {
  await runner?.close();
  runner = undefined;
  probe?.remove();
  rmSync(work, { recursive: true, force: true });
});

function synth(runtime: lambda.Runtime): void {
  const code = join(work, 'code');
  mkdirSync(code, { recursive: true });
  writeFileSync(join(code, 'index.js'), HANDLER);
  probe = synthesizeProbe((stack) => {
    new lambda.Function(stack, 'Hello', { runtime, handler: 'index.handler', code: lambda.Code.fromAsset(code), timeout: Duration.seconds(1) });
    new lambda.Function(stack, 'Other', { runtime, handler: 'index.handler', code: lambda.Code.fromAsset(code) });
  });
}

const debuggerUrls = () => lines.flatMap((l) => /debugger listening on (ws:\/\/\S+)/.exec(l)?.[1] ?? []);

describe.each([
  ['nodejs20.x (a worker thread of the runner)', lambda.Runtime.NODEJS_20_X, 20],
  ['nodejs24.x (a child process on Node.js 24)', lambda.Runtime.NODEJS_24_X, 24],
])('--inspect on %s', (_name, runtime, major) => {
  test('a debugger attaches, a breakpoint in the handler pauses the next invocation past its timeout, resume answers', async () => {
    synth(runtime);
    runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: (l) => lines.push(l), functionOutput: false, inspect: { port: 0, functions: ['Hello'] } });
    expect(lines.join('\n')).toMatch(/inspector: environments of Hello open a debugger on ephemeral ports at 127\.0\.0\.1/);

    expect((await runner.invoke('Hello', { name: 'cold' })).payload).toEqual({ answer: 'hello cold', major });
    expect(debuggerUrls()).toHaveLength(1);
    const url = new URL(debuggerUrls()[0]);
    const targets = await inspectorTargets(url.hostname, Number(url.port));
    expect(targets.map((t) => t.webSocketDebuggerUrl)).toContain(url.href);

    const session = await connectInspector(url.href);
    try {
      await session.send('Debugger.enable');
      const breakpoint = await session.send('Debugger.setBreakpointByUrl', { lineNumber: 1, urlRegex: 'asset\\.[0-9a-f]+/index\\.js$' });
      expect(breakpoint.locations).toHaveLength(1);

      const invocation = runner.invoke('Hello', { name: 'paused' });
      const paused = await session.next('Debugger.paused');
      expect(paused.hitBreakpoints).toEqual([breakpoint.breakpointId]);
      expect(paused.callFrames[0].location.lineNumber).toBe(1);
      const name = await session.send('Debugger.evaluateOnCallFrame', { callFrameId: paused.callFrames[0].callFrameId, expression: 'event.name' });
      expect(name.result.value).toBe('paused');
      // Held past the function's 1 s timeout: a debugging session is not a timeout.
      await new Promise((r) => setTimeout(r, 1500));
      await session.send('Debugger.resume');
      const result = await invocation;
      expect(result.error).toBeUndefined();
      expect(result.payload).toEqual({ answer: 'hello paused', major });
    } finally {
      session.close();
    }
    // The function not named has no debugger.
    await runner.invoke('Other', { name: 'x' });
    expect(debuggerUrls()).toHaveLength(1);
  });
});

test('with a fixed port, concurrent environments listen on it and the next free ports, each URL logged', async () => {
  synth(lambda.Runtime.NODEJS_20_X);
  const [port] = [await freePortRange(3)];
  runner = await startLocalRunner({ assembly: probe.directory, port: 0, log: (l) => lines.push(l), functionOutput: false, inspect: { port } });
  expect(lines.join('\n')).toMatch(new RegExp(`inspector: environments of every function open a debugger on 127\\.0\\.0\\.1:${port}, the next environment on the next free port`));
  await Promise.all([runner.invoke('Hello', { name: 'a' }), runner.invoke('Hello', { name: 'b' }), runner.invoke('Other', { name: 'c' })]);
  const ports = debuggerUrls().map((u) => Number(new URL(u).port)).sort();
  expect(ports).toEqual([port, port + 1, port + 2]);
  for (const p of ports) expect(await inspectorTargets('127.0.0.1', p)).toHaveLength(1);
});

test('--inspect-function naming no function stops the start, listing the functions', async () => {
  synth(lambda.Runtime.NODEJS_20_X);
  await expect(startLocalRunner({ assembly: probe.directory, port: 0, log: () => undefined, inspect: { port: 0, functions: ['Helo'] } }))
    .rejects.toThrow(/--inspect-function "Helo" names no function of the app; it has Hello \(Hello[0-9A-F]{8}\), Other \(Other[0-9A-F]{8}\)/);
});
