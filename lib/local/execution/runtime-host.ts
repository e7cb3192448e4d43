import { ChildProcess, fork } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { EnvironmentProcess, ProcessExit } from './environment-process';
import type { WorkerSetup } from './protocol';

const HOST_FILE = `${__dirname}/environment-host.cjs`;

type HostMessage =
  | { readonly type: 'from'; readonly id: string; readonly message: unknown }
  | { readonly type: 'output'; readonly id: string; readonly stream: 'stdout' | 'stderr'; readonly data: string }
  | { readonly type: 'exit'; readonly id: string; readonly code: number | null; readonly outOfMemory: boolean };

interface HostedEnvironment {
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  readonly messageListeners: Set<(message: unknown) => void>;
  readonly exitListeners: Array<(exit: ProcessExit) => void>;
  readonly exited: Promise<void>;
  readonly markExited: () => void;
}

/**
 * One child process on another Node.js binary, in one code directory, hosting execution environments as worker
 * threads (environment-host.cjs). It lives while it hosts at least one environment.
 */
export class RuntimeHost {
  private static readonly hosts = new Map<string, RuntimeHost>();
  private static nextId = 1;

  /** The host for this binary and working directory, started when there is none. */
  static for(execPath: string, cwd: string): RuntimeHost {
    const key = `${execPath}\u0000${cwd}`;
    let host = RuntimeHost.hosts.get(key);
    if (!host) {
      host = new RuntimeHost(execPath, cwd, () => RuntimeHost.hosts.delete(key));
      RuntimeHost.hosts.set(key, host);
    }
    return host;
  }

  private readonly child: ChildProcess;
  private readonly environments = new Map<string, HostedEnvironment>();
  private ended = false;

  private constructor(execPath: string, cwd: string, private readonly forget: () => void) {
    this.child = fork(HOST_FILE, [], { execPath, execArgv: [], cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    this.child.on('message', (message: HostMessage) => this.onMessage(message));
    // A send to a host that just died fails asynchronously; its exit reports the loss.
    this.child.on('error', () => undefined);
    this.child.on('exit', (code, signal) => {
      this.end();
      for (const id of [...this.environments.keys()]) this.exited(id, { code, signal, outOfMemory: false });
    });
  }

  /** Starts an environment (a worker thread of the host) and returns its handle. */
  start(setup: WorkerSetup, env: Record<string, string>): EnvironmentProcess {
    const id = String(RuntimeHost.nextId++);
    let markExited = () => undefined as void;
    const exited = new Promise<void>((resolve) => {
      markExited = resolve;
    });
    const hosted: HostedEnvironment = { stdout: new PassThrough(), stderr: new PassThrough(), messageListeners: new Set(), exitListeners: [], exited, markExited };
    this.environments.set(id, hosted);
    this.send({ type: 'start', id, setup, env });
    return {
      stdout: hosted.stdout,
      stderr: hosted.stderr,
      send: (message) => this.send({ type: 'to', id, message }),
      onMessage: (listener) => hosted.messageListeners.add(listener),
      offMessage: (listener) => hosted.messageListeners.delete(listener),
      onExit: (listener) => hosted.exitListeners.push(listener),
      kill: async () => {
        if (this.environments.has(id)) this.send({ type: 'kill', id });
        await hosted.exited;
      },
    };
  }

  private send(command: object): void {
    if (!this.ended && this.child.connected) this.child.send(command);
  }

  private onMessage(message: HostMessage): void {
    const hosted = this.environments.get(message.id);
    if (!hosted) return;
    if (message.type === 'from') for (const listener of [...hosted.messageListeners]) listener(message.message);
    else if (message.type === 'output') hosted[message.stream].write(message.data);
    else this.exited(message.id, { code: message.code, signal: null, outOfMemory: message.outOfMemory });
  }

  private exited(id: string, exit: ProcessExit): void {
    const hosted = this.environments.get(id);
    if (!hosted) return;
    this.environments.delete(id);
    hosted.stdout.end();
    hosted.stderr.end();
    for (const listener of hosted.exitListeners) listener(exit);
    hosted.markExited();
    // The last environment gone: the host goes too (a new one starts with the next environment).
    if (this.environments.size === 0) {
      this.end();
      this.child.kill();
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.forget();
  }
}
