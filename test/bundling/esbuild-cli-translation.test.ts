import { translateEsbuildArgv } from '../../lib/bundling/esbuild-cli-translation';
import { esbuildArgsToArgv } from '../../lib/bundling/nodejs-esbuild-argv';

function options(argv: string[]): Record<string, unknown> {
  const result = translateEsbuildArgv(argv);
  if ('unsupportedFlag' in result) throw new Error(`unexpected unsupported flag ${result.unsupportedFlag}`);
  return result.build.options;
}

describe('esbuild command line to JavaScript API', () => {
  test('single-value flags: the last one wins, as on the command line', () => {
    expect(options(['--target=node24', '--platform=node', '--target=es2022,node20'])).toEqual({
      target: ['es2022', 'node20'], platform: 'node',
    });
  });

  test('list and map flags accumulate', () => {
    expect(options(['--external:@aws-sdk/*', '--external:pg', '--define:A="a"', '--define:B=1', '--loader:.txt=text', '--drop:debugger', '--drop:console'])).toEqual({
      external: ['@aws-sdk/*', 'pg'], define: { A: '"a"', B: '1' }, loader: { '.txt': 'text' }, drop: ['debugger', 'console'],
    });
  });

  test('a map value may itself contain "=" and ":"', () => {
    expect(options(['--banner:js=const a = "x:y";', '--alias:old=new=odd'])).toEqual({
      banner: { js: 'const a = "x:y";' }, alias: { old: 'new=odd' },
    });
  });

  test('boolean flags: bare is true, =true/=false are honoured', () => {
    expect(options(['--minify', '--keep-names=false', '--tree-shaking=true', '--sources-content=false'])).toEqual({
      minify: true, keepNames: false, treeShaking: true, sourcesContent: false,
    });
  });

  test('source map modes map to the API values', () => {
    expect(options(['--sourcemap']).sourcemap).toBe(true);
    expect(options(['--sourcemap=linked']).sourcemap).toBe(true);
    expect(options(['--sourcemap=inline']).sourcemap).toBe('inline');
    expect(options(['--sourcemap=both']).sourcemap).toBe('both');
  });

  test('comma lists and integers', () => {
    expect(options(['--main-fields=module,main', '--conditions=node', '--line-limit=80'])).toEqual({
      mainFields: ['module', 'main'], conditions: ['node'], lineLimit: 80,
    });
  });

  test('the metafile path is kept for writing the file, the API only gets metafile: true', () => {
    const result = translateEsbuildArgv(['--metafile=/out/index.meta.json']);
    expect(result).toEqual({ build: { options: { metafile: true }, metafilePath: '/out/index.meta.json' } });
  });

  test.each([
    ['--splitting'], ['--outdir=/x'], ['--mangle-props=_$'], ['--watch'], ['entry.ts'], ['--define'], ['--define:NO_VALUE'],
    ['--external=pg'], ['--minify=yes'], ['--sourcemap=hidden'], ['--line-limit=ten'], ['--metafile'], ['--supported:bigint=maybe'],
  ])('%s has no translation', (flag) => {
    expect(translateEsbuildArgv(['--platform=node', flag])).toEqual({ unsupportedFlag: flag });
  });
});

describe('bundling.esbuildArgs to command-line flags (NodejsFunction conventions)', () => {
  test('true and empty string give a bare flag, false and undefined are dropped', () => {
    expect(esbuildArgsToArgv({ '--minify': true, '--keep-names': '', '--tree-shaking': false })).toEqual(['--minify', '--keep-names']);
  });

  test('arrays repeat the flag with a colon, colon flags take the value after a colon', () => {
    expect(esbuildArgsToArgv({ '--drop': 'debugger', '--alias': 'a=b', '--log-override': 'x=warning', '--pure': ['f', 'g'] }))
      .toEqual(['--drop:debugger', '--alias:a=b', '--log-override:x=warning', '--pure:f', '--pure:g']);
  });

  test('other values use =', () => {
    expect(esbuildArgsToArgv({ '--legal-comments': 'eof', '--line-limit': '80' })).toEqual(['--legal-comments=eof', '--line-limit=80']);
  });
});
