import * as fs from 'fs';
import * as path from 'path';
import { DockerImage, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundlingOptions, NodejsFunction, NodejsFunctionProps, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { IN_PROCESS_FALLBACKS, tryBundleInProcess, withInProcessBundling } from '../../lib/bundling';
import { FIXTURES, functionAssets, LOCK_FILE, makeScratchDir, newTestApp, PROJECT_ROOT } from './synth-helpers';

const base: NodejsFunctionProps = {
  entry: path.join(FIXTURES, 'minified-with-source-map.ts'),
  runtime: lambda.Runtime.NODEJS_24_X,
  depsLockFilePath: LOCK_FILE,
  projectRoot: PROJECT_ROOT,
};

let scratch: string;
beforeAll(() => { scratch = makeScratchDir('fallback'); });
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const BUNDLING_FALLBACKS: Array<[keyof BundlingOptions, BundlingOptions]> = [
  ['nodeModules', { nodeModules: ['opossum'] }],
  ['commandHooks', { commandHooks: { beforeBundling: () => [], beforeInstall: () => [], afterBundling: () => [] } }],
  ['preCompilation', { preCompilation: true }],
  ['forceDockerBundling', { forceDockerBundling: true }],
  ['dockerImage', { dockerImage: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x') }],
  ['esbuildVersion', { esbuildVersion: '0.21.5' }],
  ['buildArgs', { buildArgs: { HTTPS_PROXY: 'http://proxy' } }],
  ['environment', { environment: { NODE_PATH: '/opt/nodejs' } }],
  ['volumes', { volumes: [{ hostPath: '/tmp', containerPath: '/cache' }] }],
  ['user', { user: 'root' }],
  ['network', { network: 'host' }],
  ['command', { command: ['bash', '-c', 'true'] }],
];

describe('options that cannot be honoured in-process', () => {
  test.each(BUNDLING_FALLBACKS)('bundling.%s falls back, with the option named in the reason', (key, bundling) => {
    const stack = new Stack(newTestApp(scratch), 'Reasons');
    const result = tryBundleInProcess(stack, { ...base, bundling });
    expect(result.bundle).toBeUndefined();
    expect(result.fallbackReason).toContain(`bundling.${key}`);
    expect(IN_PROCESS_FALLBACKS.map((f) => f.option)).toContain(`bundling.${key}`);
  });

  test('false values of Docker and tsc switches do not force a fallback', () => {
    const stack = new Stack(newTestApp(scratch), 'FalseSwitches');
    expect(tryBundleInProcess(stack, { ...base, bundling: { forceDockerBundling: false, preCompilation: false } }).bundle).toBeDefined();
  });

  const OTHER_FALLBACKS: Array<[string, NodejsFunctionProps, RegExp]> = [
    ['entry omitted', { ...base, entry: undefined }, /entry is not set/],
    ['a runtime of another family', { ...base, runtime: lambda.Runtime.PYTHON_3_13 }, /not a Node\.js runtime/],
    ['a Node.js runtime with AWS SDK v2', { ...base, runtime: lambda.Runtime.NODEJS_16_X }, /ships AWS SDK v2/],
    ['sourceMapMode with sourceMap: false', { ...base, bundling: { sourceMap: false, sourceMapMode: SourceMapMode.INLINE } }, /sourceMapMode/],
    ['an esbuildArgs flag without translation', { ...base, bundling: { esbuildArgs: { '--mangle-props': '^_' } } }, /--mangle-props=\^_/],
    ['an esbuildArgs key that is not a flag', { ...base, bundling: { esbuildArgs: { minify: true } } }, /flag minify /],
    ['an unknown bundling option', { ...base, bundling: { futureOption: 1 } as BundlingOptions }, /bundling\.futureOption: unknown/],
    ['an entry without a script extension', { ...base, entry: path.join(FIXTURES, 'greeting.txt') }, /no JavaScript\/TypeScript extension/],
    ['an entry outside projectRoot', { ...base, projectRoot: path.join(PROJECT_ROOT, 'lib') }, /outside projectRoot/],
  ];

  test.each(OTHER_FALLBACKS)('%s falls back', (_name, props, reason) => {
    const stack = new Stack(newTestApp(scratch), 'OtherReasons');
    expect(tryBundleInProcess(stack, props).fallbackReason).toMatch(reason);
  });

  test('a project without esbuild falls back', () => {
    const project = fs.mkdtempSync(path.join(require('os').tmpdir(), 'no-esbuild-'));
    try {
      fs.writeFileSync(path.join(project, 'package-lock.json'), '{}');
      fs.writeFileSync(path.join(project, 'handler.ts'), 'export const handler = async () => 1;\n');
      const stack = new Stack(newTestApp(scratch), 'NoEsbuild');
      const result = tryBundleInProcess(stack, {
        entry: path.join(project, 'handler.ts'), runtime: lambda.Runtime.NODEJS_24_X, depsLockFilePath: path.join(project, 'package-lock.json'),
      });
      expect(result.fallbackReason).toMatch(/no esbuild 0\.x is resolvable/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test('falling back leaves the props to NodejsFunction, which still synthesizes them', () => {
    const outdir = path.join(scratch, 'synth');
    const app = newTestApp(outdir);
    const stack = new Stack(app, 'Fallbacks');
    const marker = (outputDir: string) => [`echo hook-ran > ${JSON.stringify(path.join(outputDir, 'hook.txt'))}`];
    const cases: Record<string, NodejsFunctionProps> = {
      Hooks: { ...base, bundling: { commandHooks: { beforeBundling: () => [], beforeInstall: () => [], afterBundling: (_i, o) => marker(o) } } },
      Environment: { ...base, bundling: { environment: { BUILD_FLAVOUR: 'fallback' } } },
      DockerImage: { ...base, bundling: { dockerImage: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x') } },
      UntranslatedFlag: { ...base, bundling: { esbuildArgs: { '--mangle-props': '^_' } } },
    };
    for (const [id, props] of Object.entries(cases)) {
      const resolved = withInProcessBundling(stack, props);
      expect(resolved).toBe(props);
      new NodejsFunction(stack, id, resolved);
    }
    const assets = functionAssets(app, 'Fallbacks');
    expect(Object.keys(assets).sort()).toEqual(Object.keys(cases).sort());
    for (const { dir } of Object.values(assets)) expect(fs.existsSync(path.join(dir, 'index.js'))).toBe(true);
    expect(fs.readFileSync(path.join(assets.Hooks.dir, 'hook.txt'), 'utf-8').trim()).toBe('hook-ran');
  });

  test('props that already carry code are left alone', () => {
    const stack = new Stack(newTestApp(scratch), 'WithCode');
    const props = { ...base, code: lambda.Code.fromInline('exports.handler = async () => 1'), handler: 'index.handler' };
    expect(withInProcessBundling(stack, props)).toBe(props);
  });
});
