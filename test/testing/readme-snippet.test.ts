import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/*
 * The README's snapshot snippet, compiled as a user's strict TypeScript test would be: against the
 * compiled `/testing` types (resolved by package name, through package.json `exports`) and jest's own
 * types from @types/jest.
 */
test("the README's snapshot snippet typechecks under strict with @types/jest", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## Snapshot tests that survive handler edits'));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1];
  expect(snippet).toContain('expect.addSnapshotSerializer(templateSerializer)');

  const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'testing', '.snippet-'));
  try {
    fs.writeFileSync(path.join(dir, 'snippet.ts'), `import type { Stack } from 'aws-cdk-lib';\ndeclare const stack: Stack;\n${snippet}`);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'node20', moduleResolution: 'node16', target: 'es2022', types: ['jest', 'node'], skipLibCheck: true },
      files: ['snippet.ts'],
    }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf-8' });
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    })();
    expect(result).toBe('');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
