import { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
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
