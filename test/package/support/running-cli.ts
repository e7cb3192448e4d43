import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The packed CLI running `local` in an app, its output collected line by line. */
export interface RunningCli {
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the first stdout line matching; rejects when the CLI exits before printing it. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node <app>/node_modules/cdk-resilient-serverless/dist/local/cli/main.js ...args` in the app. */
export function startPackedCli(appDir: string, args: string[], env: NodeJS.ProcessEnv): RunningCli {
  const bin = join(appDir, 'node_modules', 'cdk-resilient-serverless', 'dist', 'local', 'cli', 'main.js');
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const collect = (into: string[], stream: NodeJS.ReadableStream, check: boolean) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        into.push(line);
        if (!check) continue;
        for (const w of waiters.filter((x) => x.pattern.test(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
  };
  collect(stdout, child.stdout!, true);
  collect(stderr, child.stderr!, false);
  return {
    stdout,
    stderr,
    waitFor: (pattern) => {
      const seen = stdout.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`the CLI exited (${code}) before printing ${pattern}:\n${[...stdout, ...stderr].join('\n')}`)));
      });
    },
    stop: () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
