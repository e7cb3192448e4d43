/** Path of the Node 24 binary of `npm run node24:install`, or undefined when it is not installed (or cannot be). */
export function node24Path(): string | undefined;
/** Installs the pinned interpreter unless it is there already; its path, or undefined where it cannot run. */
export function installNode24(): string | undefined;
