import * as fs from 'fs';
import * as path from 'path';

/*
 * The aws-cdk-lib versions the suite is about. The floor has ONE source of truth: the lower bound of the
 * peer range in package.json. test/floor/pinned/package.json has to repeat it (npm cannot read it from
 * elsewhere); floor-version.test.ts fails when the two differ.
 */

export const ROOT = path.join(__dirname, '..', '..');
/** Where `npm run test:floor` installs the floor aws-cdk-lib (its own folder: see pinned/package.json). */
export const PINNED_DIR = path.join(__dirname, 'pinned');

function manifest(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

/** The peer range package.json declares for aws-cdk-lib, e.g. `^2.252.0`. */
export function peerRange(): string {
  return manifest(path.join(ROOT, 'package.json')).peerDependencies['aws-cdk-lib'];
}

/** The oldest aws-cdk-lib the library supports: the lower bound of the peer range (`^2.252.0` → `2.252.0`). */
export function peerFloor(): string {
  const range = peerRange();
  const match = /^\s*(?:\^|>=\s*)(\d+\.\d+\.\d+)\s*$/.exec(range ?? '');
  if (!match) {
    throw new Error(`package.json peerDependencies["aws-cdk-lib"] is ${JSON.stringify(range)}: expected "^X.Y.Z" or ">=X.Y.Z" to derive the floor from`);
  }
  return match[1];
}

/** The aws-cdk-lib test/floor/pinned/package.json pins (what `npm run test:floor` installs). */
export function pinnedFloor(): string {
  return manifest(path.join(PINNED_DIR, 'package.json')).dependencies['aws-cdk-lib'];
}

/** The aws-cdk-lib the devDependency pins: the "pinned latest" the normal run uses. */
export function pinnedLatest(): string {
  return manifest(path.join(ROOT, 'package.json')).devDependencies['aws-cdk-lib'];
}

/** A root devDependency's pinned version (e.g. esbuild, for the consumer app). */
export function devDependency(name: string): string {
  return manifest(path.join(ROOT, 'package.json')).devDependencies[name];
}

/** Compares two plain `X.Y.Z` versions: negative, 0 or positive like a sort comparator. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return 0;
}
