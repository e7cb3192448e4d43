/**
 * Lines for stdout, written together once per turn of the event loop. Under load the runner prints a line per
 * request, and stdout (a file, pipe or terminal) takes one system call per write on Linux; one write per turn
 * serves every request of that turn. What is pending is written before anything goes to stderr (so the two
 * stay in order on a terminal) and when the process exits.
 */
export interface BatchedStdout {
  readonly line: (text: string) => void;
  readonly flush: () => void;
}

let shared: BatchedStdout | undefined;

/** The process's one batched stdout. */
export function batchedStdout(): BatchedStdout {
  shared ??= create();
  return shared;
}

function create(): BatchedStdout {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    process.stdout.write(text);
  };
  process.on('exit', flush);
  // As console.log does: a reader that went away (`local | head`) must not end the runner.
  process.stdout.on('error', () => undefined);
  return {
    flush,
    line: (text) => {
      pending += `${text}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
    },
  };
}
