/*
 * How --watch synthesizes: which cdk.json app commands a kept-alive synthesizer can load again, cdk.json's
 * watch.exclude globs, and the command fallback (and the in-process one) writing a cloud assembly.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appSynthesizer, inProcessEntry, readCdkJson } from '../../../lib/local/watch/app-synthesizer';
import { globToRegExp } from '../../../lib/local/watch/source-watcher';
import { linkedProject } from '../support/linked-project';

jest.setTimeout(120_000);

test.each([
  ['npx tsx bin/app.ts', { entry: 'bin/app.ts', loader: 'tsx' }],
  ['npx ts-node --prefer-ts-exts bin/app.ts', { entry: 'bin/app.ts', loader: 'ts-node' }],
  ['node bin/app.js', { entry: 'bin/app.js', loader: 'none' }],
  ['npx tsc && node bin/app.js', undefined],
  ['node bin/app.ts', undefined],
  ['python3 app.py', undefined],
  ['npx tsx --tsconfig x.json bin/app.ts', undefined],
])('app command %s runs in process as %j', (command, expected) => {
  expect(inProcessEntry(command)).toEqual(expected);
});

test.each([
  ['**/*.d.ts', 'types.d.ts', true],
  ['**/*.d.ts', 'lib/types.d.ts', true],
  ['*.js', 'lib/handler.js', true],
  ['*.js', 'lib/handler.ts', false],
  ['cdk*.json', 'cdk.context.json', true],
  ['node_modules', 'lib/node_modules/x/index.js', true],
  ['test/fixtures', 'test/fixtures/a.json', true],
  ['test/fixtures', 'lib/test/fixtures/a.json', false],
  ['README.md', 'docs/README.md', true],
])("cdk.json watch.exclude %s ignores %s: %s", (glob, path, ignored) => {
  expect(globToRegExp(glob).test(path)).toBe(ignored);
});

describe('synthesizing the test app', () => {
  let project: string;
  beforeAll(() => {
    project = linkedProject(join(__dirname, 'app'));
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test.each([
    ['node bin/app.js', 'in-process'],
    ['node bin/app.js && echo done', 'command'],
  ])('%s synthesizes %s into the folder given, with the context of cdk.json and cdk.context.json', async (app, mode) => {
    writeFileSync(join(project, 'cdk.json'), JSON.stringify({ app, context: { fromCdkJson: 'yes' } }));
    writeFileSync(join(project, 'cdk.context.json'), JSON.stringify({ fromCdkJson: 'overridden', saved: 'kept' }));
    expect(readCdkJson(project).context).toEqual({ fromCdkJson: 'yes', saved: 'kept' });
    const synthesizer = appSynthesizer(project);
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    try {
      expect(synthesizer.mode).toBe(mode);
      expect(await synthesizer.synth(outdir)).toEqual({ ok: true });
      expect(existsSync(join(outdir, 'WatchApp.template.json'))).toBe(true);
      // The CLI's context reaches the app: asset metadata (the runner reads assets through it).
      const template = JSON.parse(readFileSync(join(outdir, 'WatchApp.template.json'), 'utf8')) as { Resources: Record<string, { Metadata?: Record<string, unknown> }> };
      expect(Object.values(template.Resources).some((r) => r.Metadata?.['aws:asset:path'])).toBe(true);
    } finally {
      synthesizer.close();
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('an app that throws is a failed synth with its error, and the next synth works again', async () => {
    writeFileSync(join(project, 'cdk.json'), JSON.stringify({ app: 'node bin/app.js' }));
    const source = readFileSync(join(project, 'bin/app.js'), 'utf8');
    const synthesizer = appSynthesizer(project);
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    try {
      writeFileSync(join(project, 'bin/app.js'), `throw new Error('app is broken');\n${source}`);
      const failed = await synthesizer.synth(join(outdir, 'a'), [join(project, 'bin/app.js')]);
      expect(failed.ok).toBe(false);
      expect(!failed.ok && failed.error).toContain('app is broken');
      writeFileSync(join(project, 'bin/app.js'), source);
      expect(await synthesizer.synth(join(outdir, 'b'), [join(project, 'bin/app.js')])).toEqual({ ok: true });
    } finally {
      synthesizer.close();
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
