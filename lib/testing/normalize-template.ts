/*
 * Snapshot normalisation for synthesized templates. A handler edit changes two things that are not
 * behaviour: the asset hash (S3 keys, asset paths) and the logical id of the Lambda Version
 * (`...CurrentVersion<hash>`), which is an object key and so invisible to value-based serializers.
 * Working on the JSON text catches both.
 */

/** Placeholder for 64-hex asset hashes. */
export const ASSET_HASH_PLACEHOLDER = '[ASSET_HASH]';

/** Placeholder for the code-dependent suffix of `CurrentVersion` logical ids. */
export const VERSION_ID_PLACEHOLDER = '[VERSION]';

// Marks an already-normalised template so the serializer does not recurse into it forever.
const NORMALIZED = Symbol.for('cdk-resilient-serverless.normalized');
const ASSET_HASH = /[0-9a-f]{64}/g;
// aws-cdk-lib names a Version `<path>CurrentVersion` + 8 upper-hex (path hash) + 32 lower-hex (code hash).
const CURRENT_VERSION_ID = /CurrentVersion[0-9A-F]{8}[0-9a-f]{32}/g;

/** Returns a copy of a synthesized template with code-dependent hashes replaced by stable placeholders. */
export function normalizeTemplate<T>(template: T): T {
  const text = JSON.stringify(template)
    .replace(ASSET_HASH, ASSET_HASH_PLACEHOLDER)
    .replace(CURRENT_VERSION_ID, `CurrentVersion${VERSION_ID_PLACEHOLDER}`);
  return JSON.parse(text) as T;
}

/**
 * A jest snapshot serializer plugin (pretty-format's `NewPlugin` shape), written without importing jest's
 * types so the library does not depend on them. Its parameters are `any` where jest's own types name
 * pretty-format's `Config`, `Refs` and `Printer`: jest checks a plugin's parameters contravariantly under
 * `strict`, so anything narrower than jest's types fails `expect.addSnapshotSerializer`.
 */
export interface SnapshotSerializerPlugin {
  /** Whether this plugin serializes the value. */
  readonly test: (value: any) => boolean;
  /** Serializes the value, handing the normalised copy back to jest's printer. */
  readonly serialize: (value: any, config: any, indentation: string, depth: number, refs: any, printer: (value: any, ...rest: any[]) => string) => string;
}

/**
 * A jest snapshot serializer for templates (objects with `Resources`): register it with
 * `expect.addSnapshotSerializer(templateSerializer)` and snapshot `Template.fromStack(stack).toJSON()`.
 */
export const templateSerializer: SnapshotSerializerPlugin = {
  test: (value) => typeof value === 'object' && value !== null && 'Resources' in value && !value[NORMALIZED],
  serialize: (value, config, indentation, depth, refs, printer) => {
    const normalized = normalizeTemplate(value) as Record<string | symbol, unknown>;
    Object.defineProperty(normalized, NORMALIZED, { value: true, enumerable: false });
    return printer(normalized, config, indentation, depth, refs);
  },
};
