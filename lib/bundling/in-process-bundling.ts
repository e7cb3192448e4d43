import * as fs from 'fs';
import * as path from 'path';
import { Annotations, AssetHashType, BundlingOptions as AssetBundlingOptions, DockerImage, FeatureFlags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { bundleFailureError } from './bundle-errors';
import { translateEsbuildArgv, TranslatedBuild } from './esbuild-cli-translation';
import { EsbuildApi, esbuildInstalled, loadProjectEsbuild } from './esbuild-loader';
import { bundlingOptionsFallbackReason } from './fallback';
import { nodejsFunctionEsbuildArgv } from './nodejs-esbuild-argv';
import { hasEntryExtension, ProjectPaths, resolveProjectPaths } from './project-paths';

/**
 * The inputs of a NodejsFunction that decide its code; a `NodejsFunctionProps` can be passed as is.
 */
export interface InProcessBundlingProps {
  /**
   * Path to the handler's entry file.
   * @default - none: NodejsFunction's call-site convention is not reproduced, so the function falls back
   */
  readonly entry?: string;
  /**
   * Exported handler name, or `file.export` to use as is.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Lambda runtime; its Node.js major version is the default esbuild target.
   * @default - as NodejsFunction: NODEJS_LATEST with the `LAMBDA_NODEJS_USE_LATEST_RUNTIME` feature flag, else NODEJS_16_X (falls back)
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Directory esbuild runs in and resolves the project's esbuild from.
   * @default - the directory of the lock file
   */
  readonly projectRoot?: string;
  /**
   * The project's lock file.
   * @default - the single lock file found from the current working directory upwards
   */
  readonly depsLockFilePath?: string;
  /**
   * NodejsFunction bundling options.
   * @default - NodejsFunction's defaults
   */
  readonly bundling?: BundlingOptions;
}

/** Code bundled in-process, ready for a `lambda.Function`. */
export interface InProcessBundle {
  /** The asset; its hash comes from the bundle output unless `bundling.assetHash` is set. */
  readonly code: lambda.Code;
  /** The `handler` property for the function, e.g. `index.handler`. */
  readonly handler: string;
  /** The runtime the bundle targets (the given one or NodejsFunction's default). */
  readonly runtime: lambda.Runtime;
}

/** Either the bundle, or why NodejsFunction's own bundling has to build this function. */
export type InProcessBundlingResult =
  | { readonly bundle: InProcessBundle; readonly fallbackReason?: undefined }
  | { readonly bundle?: undefined; readonly fallbackReason: string };

// Runtimes whose Lambda image ships AWS SDK v2: NodejsFunction warns and externalises differently.
const SDK_V2_RUNTIMES = new Set(['nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x']);
const OUTPUT_DIR_PLACEHOLDER = '/asset-output';

function defaultRuntime(scope: Construct): lambda.Runtime {
  return FeatureFlags.of(scope).isEnabled(cxapi.LAMBDA_NODEJS_USE_LATEST_RUNTIME)
    ? lambda.Runtime.NODEJS_LATEST
    : lambda.Runtime.NODEJS_16_X;
}

/** The modules left out of the bundle, as NodejsFunction chooses them; warns the way it does. */
function externalModules(scope: Construct, runtime: lambda.Runtime, bundling: BundlingOptions): string[] {
  const sdkV3 = FeatureFlags.of(scope).isEnabled(cxapi.LAMBDA_NODEJS_SDK_V3_EXCLUDE_SMITHY_PACKAGES)
    ? ['@aws-sdk/*', '@smithy/*']
    : ['@aws-sdk/*'];
  const externals = bundling.externalModules ?? (runtime.isVariable || bundling.bundleAwsSDK ? [] : sdkV3);
  if (externals.includes('aws-sdk')) {
    Annotations.of(scope).addWarningV2('@aws-cdk/aws-lambda-nodejs:sdkV2NotInRuntime',
      `${runtime.name} ships AWS SDK v3 only; marking 'aws-sdk' (v2) external leaves it missing at run time.`);
  }
  if (externals.length > 0 && runtime.isVariable) {
    Annotations.of(scope).addWarningV2('@aws-cdk/aws-lambda-nodejs:variableRuntimeExternals',
      `The modules kept out of the bundle (${externals.join(', ')}) must be provided by ${runtime.name}, whose version changes over time; pin a runtime version or bundle them.`);
  }
  return externals;
}

/** Everything decided at construction time; `argv` needs the output directory CDK picks later. */
interface BuildPlan {
  readonly paths: ProjectPaths;
  readonly esbuild: EsbuildApi;
  readonly runtime: lambda.Runtime;
  readonly argv: (outputDir: string) => string[];
}

function planBuild(scope: Construct, props: InProcessBundlingProps): BuildPlan | string {
  if (props.entry === undefined) return 'entry is not set';
  const bundling = props.bundling ?? {};
  const optionsReason = bundlingOptionsFallbackReason(bundling);
  if (optionsReason) return optionsReason;
  const runtime = props.runtime ?? defaultRuntime(scope);
  if (runtime.family !== lambda.RuntimeFamily.NODEJS) return `runtime ${runtime.name} is not a Node.js runtime`;
  if (SDK_V2_RUNTIMES.has(runtime.name)) return `runtime ${runtime.name} ships AWS SDK v2`;
  const version = /nodejs(\d+)/.exec(runtime.name);
  if (!version && bundling.target === undefined) return `runtime ${runtime.name} has no Node.js version for the esbuild target`;
  if (bundling.sourceMap === false && bundling.sourceMapMode !== undefined) return 'sourceMapMode is set while sourceMap is false';

  if (hasEntryExtension(props.entry) && !fs.existsSync(props.entry)) {
    throw new Error(`${scope.node.path}: entry file ${path.resolve(props.entry)} does not exist (entry: '${props.entry}')`);
  }
  const resolved = resolveProjectPaths({ ...props, entry: props.entry, tsconfig: bundling.tsconfig });
  if ('fallbackReason' in resolved) return resolved.fallbackReason;
  const paths = resolved.paths;
  const esbuild = loadProjectEsbuild(paths.projectRoot);
  if (!esbuild) {
    if (!esbuildInstalled(paths.projectRoot)) {
      // NodejsFunction would silently switch to Docker bundling, which then fails without a Docker engine.
      throw new Error(`${scope.node.path}: esbuild is not installed in ${paths.projectRoot} (projectRoot) and there is none on PATH, so the handler cannot be bundled. `
        + 'Run `npm install --save-dev esbuild` there, or set bundling.forceDockerBundling: true to bundle in Docker instead.');
    }
    return `no esbuild 0.x is resolvable from ${paths.projectRoot}`;
  }

  const externals = externalModules(scope, runtime, bundling);
  const argv = (outputDir: string) => nodejsFunctionEsbuildArgv({
    bundling, externals, outputDir, tsconfig: paths.tsconfig, defaultTarget: version ? `node${version[1]}` : '',
  });
  const translated = translateEsbuildArgv(argv(OUTPUT_DIR_PLACEHOLDER));
  if ('unsupportedFlag' in translated) return `esbuild flag ${translated.unsupportedFlag} has no in-process translation`;
  return { paths, esbuild, runtime, argv };
}

/** Writes the bundle into `outputDir`, as `npx esbuild --bundle <entry> <argv>` run in projectRoot would. */
function build(scope: Construct, plan: BuildPlan, outputDir: string): void {
  const translated = translateEsbuildArgv(plan.argv(outputDir)) as { build: TranslatedBuild };
  const { logLevel, ...options } = translated.build.options;
  // Verbose levels are for debugging esbuild itself: let it print. Otherwise print only the warnings,
  // not the CLI's per-function summary, and report errors ourselves.
  const esbuildPrints = logLevel === 'verbose' || logLevel === 'debug';
  const nodePaths = process.env.NODE_PATH?.split(path.delimiter).filter((dir) => dir !== '');
  let result: ReturnType<EsbuildApi['buildSync']>;
  try {
    result = plan.esbuild.buildSync({
      ...options,
      bundle: true,
      entryPoints: [plan.paths.entry],
      absWorkingDir: plan.paths.projectRoot,
      // The CLI reads NODE_PATH itself; the JavaScript API only takes it as an option.
      ...(nodePaths?.length ? { nodePaths } : {}),
      logLevel: esbuildPrints ? logLevel : 'silent',
      write: true,
    });
  } catch (error) {
    throw bundleFailureError(scope.node.path, plan.paths.entry, plan.paths.projectRoot, error);
  }
  if (translated.build.metafilePath) {
    // Same bytes as the CLI's metafile: two-space JSON and a final newline.
    fs.writeFileSync(translated.build.metafilePath, `${JSON.stringify(result.metafile, null, 2)}\n`);
  }
  const showWarnings = !esbuildPrints && logLevel !== 'silent' && logLevel !== 'error';
  if (showWarnings && result.warnings.length > 0) {
    const formatted = plan.esbuild.formatMessagesSync(result.warnings, { kind: 'warning', color: false });
    process.stderr.write(`${scope.node.path}: esbuild warnings\n${formatted.join('')}`);
  }
}

/**
 * Bundles a Node.js handler with esbuild's JavaScript API inside the synth process, producing the same
 * files NodejsFunction's local bundling would for the same props (see nodejs-esbuild-argv.ts for the
 * one deliberate difference, `charset`). Returns why not when NodejsFunction must bundle it instead.
 *
 * Errors in the handler (missing entry file, syntax error, unresolvable import) throw at synth time
 * with the construct path, the file and esbuild's `file:line:column` message.
 */
export function tryBundleInProcess(scope: Construct, props: InProcessBundlingProps): InProcessBundlingResult {
  const plan = planBuild(scope, props);
  if (typeof plan === 'string') return { fallbackReason: plan };
  const assetHash = props.bundling?.assetHash;
  const bundling: AssetBundlingOptions = {
    // Never run: local bundling either succeeds or throws. The command keys CDK's per-process asset
    // cache, so it must name everything that shapes the output.
    image: DockerImage.fromRegistry('dummy'),
    command: [`esbuild@${plan.esbuild.version}`, '--bundle', plan.paths.entry, ...plan.argv(OUTPUT_DIR_PLACEHOLDER)],
    local: {
      tryBundle: (outputDir: string) => {
        build(scope, plan, outputDir);
        return true;
      },
    },
  };
  const code = lambda.Code.fromAsset(plan.paths.projectRoot, {
    assetHash,
    assetHashType: assetHash ? AssetHashType.CUSTOM : AssetHashType.OUTPUT,
    bundling,
  });
  const handler = props.handler ?? 'handler';
  return { bundle: { code, handler: handler.includes('.') ? handler : `index.${handler}`, runtime: plan.runtime } };
}

/**
 * Like `tryBundleInProcess`, but `undefined` when NodejsFunction's own bundling must build the function.
 */
export function bundleInProcess(scope: Construct, props: InProcessBundlingProps): InProcessBundle | undefined {
  return tryBundleInProcess(scope, props).bundle;
}
