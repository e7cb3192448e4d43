import * as fs from 'fs';
import * as path from 'path';

/** Where a function's sources live, resolved the way NodejsFunction resolves them. */
export interface ProjectPaths {
  readonly entry: string;
  readonly projectRoot: string;
  readonly depsLockFilePath: string;
  readonly tsconfig?: string;
}

const LOCK_FILE_NAMES = ['pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb', 'package-lock.json'];
const ENTRY_EXTENSION = /\.(jsx?|tsx?|cjs|cts|mjs|mts)$/;

/** Lock files in the nearest directory (from `dir` up) that holds any. */
function findLockFilesUpwards(dir: string): string[] {
  const absolute = path.resolve(dir);
  const found = LOCK_FILE_NAMES.map((name) => path.join(absolute, name)).filter((file) => fs.existsSync(file));
  if (found.length > 0) return found;
  const parent = path.dirname(absolute);
  return parent === absolute ? [] : findLockFilesUpwards(parent);
}

function escapesRoot(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return path.isAbsolute(relative) || relative === '..' || relative.startsWith(`..${path.sep}`);
}

/** The outcome of resolving paths: either the paths, or why NodejsFunction should handle this function. */
export type ProjectPathsResult = { readonly paths: ProjectPaths } | { readonly fallbackReason: string };

/**
 * Resolves entry, lock file, project root and tsconfig like NodejsFunction. Every case NodejsFunction
 * rejects becomes a fallback reason, so the user sees NodejsFunction's own error — except a missing entry
 * file, which is reported by the caller.
 */
export function resolveProjectPaths(props: {
  readonly entry: string;
  readonly projectRoot?: string;
  readonly depsLockFilePath?: string;
  readonly tsconfig?: string;
}): ProjectPathsResult {
  if (!ENTRY_EXTENSION.test(props.entry)) {
    return { fallbackReason: `entry ${props.entry} has no JavaScript/TypeScript extension` };
  }
  let depsLockFilePath: string;
  if (props.depsLockFilePath !== undefined) {
    if (!fs.existsSync(props.depsLockFilePath) || !fs.statSync(props.depsLockFilePath).isFile()) {
      return { fallbackReason: `depsLockFilePath ${props.depsLockFilePath} is not a file` };
    }
    depsLockFilePath = path.resolve(props.depsLockFilePath);
  } else {
    const found = findLockFilesUpwards(process.cwd());
    if (found.length !== 1) {
      return { fallbackReason: `found ${found.length} lock files from ${process.cwd()} upwards, need exactly one` };
    }
    depsLockFilePath = found[0];
  }
  const projectRoot = path.resolve(props.projectRoot ?? path.dirname(depsLockFilePath));
  const entry = path.resolve(props.entry);
  if (escapesRoot(projectRoot, entry)) return { fallbackReason: `entry ${entry} is outside projectRoot ${projectRoot}` };
  if (escapesRoot(projectRoot, depsLockFilePath)) {
    return { fallbackReason: `depsLockFilePath ${depsLockFilePath} is outside projectRoot ${projectRoot}` };
  }
  const tsconfig = props.tsconfig === undefined ? undefined : path.resolve(props.tsconfig);
  return { paths: { entry, projectRoot, depsLockFilePath, tsconfig } };
}

/** Whether NodejsFunction accepts this entry file name. */
export function hasEntryExtension(entry: string): boolean {
  return ENTRY_EXTENSION.test(entry);
}
