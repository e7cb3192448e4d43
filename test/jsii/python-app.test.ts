import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { normalizeTemplate } from '../../lib/testing';

// The Python app (python-app/app.py, the README's Python snippet) against the README's TypeScript quick start:
// same aws-cdk-lib version (the peer floor), same handlers, and the normalised templates must be equal.
// Needs the wheel from `npm run package` (slow, so not part of `npm test`); without it the synth is skipped.
const ROOT = path.join(__dirname, '..', '..');
const APP_DIR = path.join(__dirname, 'python-app');
const WHEELS = path.join(ROOT, 'dist-pacmak', 'python');
const hasWheel = fs.existsSync(WHEELS) && fs.readdirSync(WHEELS).some((f) => f.endsWith('.whl'));

/** The code block that follows a `<!-- readme-check: NAME ... -->` marker in README.md. */
function readmeBlock(name: string, language: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const match = new RegExp(`<!-- readme-check: ${name}[^>]*-->\\s*\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no readme-check block named ${name}`);
  return match[1];
}

test('the README Python snippet is test/jsii/python-app/app.py', () => {
  expect(readmeBlock('python-quickstart', 'python')).toEqual(fs.readFileSync(path.join(APP_DIR, 'app.py'), 'utf-8'));
});

if (!hasWheel) {
  console.warn([
    '!'.repeat(100),
    '!! SKIPPED test/jsii/python-app.test.ts synth: no wheel in dist-pacmak/python.',
    '!! Build it with `npm run package`, then `npx jest test/jsii/python-app.test.ts`.',
    '!'.repeat(100),
  ].join('\n'));
}

(hasWheel ? test : test.skip)('the Python app synthesizes the same template as the TypeScript quick start', () => {
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const work = fs.mkdtempSync(path.join(ROOT, '.tmp', 'python-app-'));
  try {
    const python = spawnSync(path.join(APP_DIR, 'run.sh'), [path.join(work, 'python.out')], { cwd: ROOT, encoding: 'utf-8' });
    expect({ status: python.status, stderr: python.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });

    // The TypeScript side on the same aws-cdk-lib: the floor copy (installed as `npm run test:floor` does).
    const pinned = path.join(ROOT, 'test', 'floor', 'pinned');
    if (!fs.existsSync(path.join(pinned, 'node_modules', 'aws-cdk-lib'))) {
      execFileSync('npm', ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund', '--silent'], { cwd: pinned, stdio: 'inherit' });
    }
    const lib = path.relative(work, path.join(ROOT, 'lib')).split(path.sep).join('/');
    fs.writeFileSync(path.join(work, 'app.ts'), readmeBlock('quickstart', 'ts').replace(/from 'cdk-resilient-serverless'/g, `from '${lib}'`));
    for (const handler of ['checkout.ts', 'reports.ts']) fs.copyFileSync(path.join(APP_DIR, handler), path.join(work, handler));
    const typescript = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(work, 'app.ts')], {
      cwd: ROOT,
      encoding: 'utf-8',
      env: { ...process.env, CDK_OUTDIR: path.join(work, 'ts.out'), NODE_OPTIONS: `--require ${path.join(__dirname, 'floor-cdk-hook.js')}` },
    });
    expect({ status: typescript.status, stderr: typescript.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/Error/) });

    const read = (dir: string) => normalizeTemplate(JSON.parse(fs.readFileSync(path.join(work, dir, 'Orders.template.json'), 'utf-8')));
    const fromPython = read('python.out');
    expect(Object.keys(fromPython.Resources).length).toBeGreaterThan(50);
    expect(fromPython).toEqual(read('ts.out'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 600_000);
