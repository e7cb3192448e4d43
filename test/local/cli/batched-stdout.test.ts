import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI batches its stdout lines per event-loop turn: none may be lost, duplicated or reordered, stderr must not
// overtake them, and process.exit in the same turn must still write them.
test('batched stdout keeps every line, in order with stderr, through process.exit in the same turn', () => {
  const dir = mkdtempSync(join(tmpdir(), 'batched-stdout-'));
  try {
    const script = join(dir, 'script.ts');
    writeFileSync(script, [
      `import { batchedStdout } from ${JSON.stringify(join(__dirname, '../../../lib/local/cli/batched-stdout'))};`,
      'const out = batchedStdout();',
      "for (let i = 0; i < 500; i++) out.line(`first ${i}`);",
      'setImmediate(() => {',
      "  out.line('before stderr');",
      '  out.flush();',
      "  process.stderr.write('on stderr\\n');",
      "  for (let i = 0; i < 500; i++) batchedStdout().line(`last ${i}`);",
      '  process.exit(3);',
      '});',
    ].join('\n'));
    // One file behind both streams shows the order in which they were written.
    const outputFile = join(dir, 'output.txt');
    const fd = openSync(outputFile, 'w');
    const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), script], { stdio: ['ignore', fd, fd], timeout: 30_000 });
    closeSync(fd);
    expect(result.status).toBe(3);
    const expected = [
      ...Array.from({ length: 500 }, (_, i) => `first ${i}`),
      'before stderr',
      'on stderr',
      ...Array.from({ length: 500 }, (_, i) => `last ${i}`),
    ];
    expect(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)).toEqual(expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A reader that goes away (`local | head -2`) must not end the runner: its lines are dropped, as console.log drops them.
test('batched stdout survives a reader that closed the pipe', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batched-stdout-'));
  try {
    const script = join(dir, 'script.ts');
    writeFileSync(script, [
      `import { batchedStdout } from ${JSON.stringify(join(__dirname, '../../../lib/local/cli/batched-stdout'))};`,
      "batchedStdout().line('first');",
      "const timer = setInterval(() => batchedStdout().line('more'), 10);",
      'setTimeout(() => { clearInterval(timer); process.exit(3); }, 1000);',
    ].join('\n'));
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), script], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
