import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A Lambda `Handler` setting resolved to the file and export the runtime would load. */
export interface ResolvedHandler {
  readonly handlerPath: string;
  readonly handlerName: string;
}

const EXTENSIONS = ['.js', '.mjs', '.cjs'];

/**
 * Resolves a Lambda handler setting (`index.handler`, `src/app.main`) inside a code directory (an unpacked
 * asset of cdk.out) the way the Node.js runtime does: the module path before the last dot, tried with
 * `.js`, `.mjs` and `.cjs`; the export name after it.
 */
export function resolveHandler(codeDirectory: string, handler: string): ResolvedHandler {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    throw new Error(`Handler must look like "file.export" (e.g. "index.handler"), got ${JSON.stringify(handler)}`);
  }
  const modulePath = handler.slice(0, dot);
  const handlerName = handler.slice(dot + 1);
  for (const extension of EXTENSIONS) {
    const candidate = join(codeDirectory, modulePath + extension);
    if (existsSync(candidate)) return { handlerPath: candidate, handlerName };
  }
  throw new Error(
    `Handler ${JSON.stringify(handler)} names no file: no ${EXTENSIONS.map((e) => modulePath + e).join(', ')} in ${codeDirectory}`,
  );
}
