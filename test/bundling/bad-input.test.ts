import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { withInProcessBundling } from '../../lib/bundling';
import { LOCK_FILE, makeScratchDir, newTestApp, PROJECT_ROOT } from './synth-helpers';

let scratch: string;
beforeAll(() => { scratch = makeScratchDir('bad-input'); });
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Builds a function the way ResilientFunction does and returns the synth-time error message. */
function bundlingError(source: string | undefined, fileName: string): string {
  const entry = path.join(scratch, fileName);
  if (source !== undefined) fs.writeFileSync(entry, source);
  const stack = new Stack(newTestApp(path.join(scratch, `out-${fileName}`)), 'Bad');
  const props: NodejsFunctionProps = { entry, runtime: lambda.Runtime.NODEJS_24_X, depsLockFilePath: LOCK_FILE, projectRoot: PROJECT_ROOT };
  try {
    new NodejsFunction(stack, 'Fn', withInProcessBundling(new Construct(stack, 'Api'), props));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected bundling to fail');
}

describe('bad handler input fails the synth with a clear message', () => {
  test('a missing entry file names the construct and the file', () => {
    const message = bundlingError(undefined, 'does-not-exist.ts');
    expect(message).toBe(`Bad/Api: entry file ${path.join(scratch, 'does-not-exist.ts')} does not exist (entry: '${path.join(scratch, 'does-not-exist.ts')}')`);
  });

  test('a syntax error names the construct, the file, line and column, and esbuild\'s message', () => {
    const message = bundlingError('export const handler = async () => {\n  return 1 +;\n};\n', 'syntax-error.ts');
    expect(message).toContain('Bad/Api: cannot bundle');
    expect(message).toContain(`${path.join(scratch, 'syntax-error.ts')}:2:12: ERROR: Unexpected ";"`);
    expect(message).toContain('return 1 +;');
    expect(message).not.toMatch(/at \S+ \(.*esbuild/);
  });

  test('an unresolvable import names the construct, the importing file and the package', () => {
    const message = bundlingError("import missing from 'no-such-package-anywhere';\nexport const handler = async () => missing;\n", 'unresolvable.ts');
    expect(message).toContain('Bad/Api: cannot bundle');
    expect(message).toContain(`${path.join(scratch, 'unresolvable.ts')}:1:20: ERROR: Could not resolve "no-such-package-anywhere"`);
    expect(message).toContain('bundling.externalModules');
    expect(message).not.toMatch(/at \S+ \(.*esbuild/);
  });

  test('every error is listed, up to five', () => {
    const imports = Array.from({ length: 7 }, (_, i) => `import m${i} from 'missing-package-${i}';`).join('\n');
    const message = bundlingError(`${imports}\nexport const handler = async () => [${Array.from({ length: 7 }, (_, i) => `m${i}`).join(', ')}];\n`, 'many.ts');
    expect(message).toContain('(7 errors)');
    expect(message.match(/ERROR: Could not resolve/g)).toHaveLength(5);
    expect(message).toContain('...and 2 more');
  });

  test('no esbuild in the project nor on PATH names the fix instead of falling back to Docker', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'no-esbuild-'));
    const entry = path.join(project, 'handler.ts');
    fs.writeFileSync(entry, 'export const handler = async () => 1;\n');
    fs.writeFileSync(path.join(project, 'package-lock.json'), '{}');
    const savedPath = process.env.PATH;
    process.env.PATH = '/usr/bin:/bin'; // npm puts node_modules/.bin (this repository's esbuild) on PATH
    try {
      const stack = new Stack(newTestApp(path.join(project, 'cdk.out')), 'Bad');
      expect(() => new NodejsFunction(stack, 'Fn', withInProcessBundling(new Construct(stack, 'Api'), { entry, runtime: lambda.Runtime.NODEJS_24_X, projectRoot: project, depsLockFilePath: path.join(project, 'package-lock.json') })))
        .toThrow(`Bad/Api: esbuild is not installed in ${project} (projectRoot) and there is none on PATH, so the handler cannot be bundled. Run \`npm install --save-dev esbuild\` there, or set bundling.forceDockerBundling: true to bundle in Docker instead.`);
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
