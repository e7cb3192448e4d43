import { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { IN_PROCESS_FALLBACKS, InProcessFallback } from './fallback';
import { tryBundleInProcess } from './in-process-bundling';

/**
 * `props` for a NodejsFunction with `code`, `handler` and `runtime` filled in by the in-process bundler,
 * so NodejsFunction skips its own (one `npx esbuild` per function) bundling. When the bundler cannot
 * honour the props (see IN_PROCESS_FALLBACKS), or `code` is already set, `props` come back unchanged
 * and NodejsFunction bundles as usual.
 *
 * `scope` is the construct named in bundling errors and given NodejsFunction's bundling warnings.
 */
export function withInProcessBundling(scope: Construct, props: NodejsFunctionProps): NodejsFunctionProps {
  if (props.code !== undefined) return props;
  const { bundle } = tryBundleInProcess(scope, props);
  return bundle ? { ...props, code: bundle.code, handler: bundle.handler, runtime: bundle.runtime } : props;
}

/**
 * Bundles NodejsFunction handlers with esbuild's JavaScript API inside the synth process instead of one
 * `npx esbuild` process per function, with the same output. The jsii-compatible face of this folder.
 */
export class InProcessBundling {
  /** Inputs that keep a function on NodejsFunction's own bundling, and why. */
  public static readonly FALLBACKS: InProcessFallback[] = [...IN_PROCESS_FALLBACKS];

  /**
   * `props` with `code`, `handler` and `runtime` bundled in-process, or `props` unchanged when
   * NodejsFunction has to bundle them itself. Pass the result to `new NodejsFunction(...)`.
   *
   * @param scope the construct named in bundling errors and given bundling warnings
   * @param props the props the NodejsFunction would get
   */
  public static nodejsFunctionProps(scope: Construct, props: NodejsFunctionProps): NodejsFunctionProps {
    return withInProcessBundling(scope, props);
  }

  private constructor() {}
}
