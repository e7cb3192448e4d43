import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..', '..');

/** A fresh app folder with the library installed from its `npm pack` tarball. */
export interface PackedApp {
  /** The app folder (package.json, node_modules/cdk-resilient-serverless from the tarball). */
  readonly dir: string;
  /** Files the tarball holds, as `npm pack --json` lists them. */
  readonly packedFiles: string[];
  /** Writes a file of the app. */
  write(file: string, content: string): string;
  /** Deletes the app and its tarball. */
  remove(): void;
}

/** The library's `npm pack` tarball and the files it holds. */
export interface PackedTarball {
  readonly tarball: string;
  /** Files the tarball holds, as `npm pack --json` lists them. */
  readonly files: string[];
}

/** Packs the library as `npm pack` publishes it (dist/ as `npm run build` left it) into `destination`. */
export function packLibrary(destination: string): PackedTarball {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf-8' });
  const [{ filename, files }] = JSON.parse(out);
  return { tarball: path.join(destination, filename), files: files.map((f: { path: string }) => f.path) };
}

/**
 * Extracts the library's tarball (packed afresh unless `packed` is given) into a fresh app. The app's other
 * dependencies are linked from this project's node_modules, so this runs offline: `links` names them (the
 * AWS SDK stands in for the one Lambda's runtime ships).
 */
export function createPackedApp(links: string[], packed?: PackedTarball): PackedApp {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  const dir = path.join(work, 'app');
  const { tarball, files } = packed ?? packLibrary(work);
  const installed = path.join(dir, 'node_modules', 'cdk-resilient-serverless');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const dep of links) {
    // A scoped package (`@aws-sdk/client-dynamodb`) goes in its scope's folder.
    fs.mkdirSync(path.dirname(path.join(dir, 'node_modules', dep)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(dir, 'node_modules', dep));
  }
  if (links.includes('esbuild')) {
    fs.mkdirSync(path.join(dir, 'node_modules', '.bin'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', 'esbuild', 'bin', 'esbuild'), path.join(dir, 'node_modules', '.bin', 'esbuild'));
  }
  const write = (file: string, content: string) => {
    const to = path.join(dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, content);
    return to;
  };
  write('package.json', JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  write('package-lock.json', JSON.stringify({ name: 'consumer', lockfileVersion: 3, packages: {} }));
  return {
    dir,
    packedFiles: files,
    write,
    remove: () => fs.rmSync(work, { recursive: true, force: true }),
  };
}
