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
 * A jest snapshot serializer for templates (objects with `Resources`): register it with
 * `expect.addSnapshotSerializer(templateSerializer)` and snapshot `Template.fromStack(stack).toJSON()`.
 */
export const templateSerializer = {
  test(value: unknown): boolean {
    return typeof value === 'object' && value !== null && 'Resources' in value && !(value as Record<string | symbol, unknown>)[NORMALIZED];
  },
  serialize(value: object, config: unknown, indentation: string, depth: number, refs: unknown, printer: (v: unknown, ...rest: unknown[]) => string): string {
    const normalized = normalizeTemplate(value) as Record<string | symbol, unknown>;
    Object.defineProperty(normalized, NORMALIZED, { value: true, enumerable: false });
    return printer(normalized, config, indentation, depth, refs);
  },
};
