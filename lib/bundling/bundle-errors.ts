import * as path from 'path';
import type { EsbuildMessage } from './esbuild-loader';

const MAX_REPORTED = 5;

function isBuildFailure(error: unknown): error is { errors: EsbuildMessage[] } {
  return typeof error === 'object' && error !== null && Array.isArray((error as { errors?: unknown }).errors)
    && (error as { errors: unknown[] }).errors.length > 0;
}

function describe(message: EsbuildMessage, projectRoot: string): string {
  const where = message.location
    ? `${path.resolve(projectRoot, message.location.file)}:${message.location.line}:${message.location.column}: `
    : '';
  const lines = [`  ${where}ERROR: ${message.text}`];
  if (message.location?.lineText) lines.push(`      ${message.location.lineText.trim()}`);
  for (const note of message.notes) lines.push(`    note: ${note.text}`);
  return lines.join('\n');
}

/**
 * A synth-time error for a failed esbuild run that names the construct, the entry and each problem as
 * `file:line:column` (esbuild's numbering: line from 1, column from 0), instead of esbuild's stack.
 */
export function bundleFailureError(constructPath: string, entry: string, projectRoot: string, error: unknown): Error {
  if (!isBuildFailure(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new Error(`${constructPath}: esbuild failed to bundle ${entry}: ${detail}`);
  }
  const shown = error.errors.slice(0, MAX_REPORTED).map((message) => describe(message, projectRoot));
  const more = error.errors.length > MAX_REPORTED ? [`  ...and ${error.errors.length - MAX_REPORTED} more`] : [];
  const unresolved = error.errors.some((message) => message.text.startsWith('Could not resolve'));
  const hint = unresolved
    ? [`  An import that cannot be resolved must be installed under ${projectRoot} or listed in bundling.externalModules.`]
    : [];
  const count = error.errors.length === 1 ? '1 error' : `${error.errors.length} errors`;
  return new Error([`${constructPath}: cannot bundle ${entry} (${count}):`, ...shown, ...more, ...hint].join('\n'));
}
