import type * as DynamoDB from '@aws-sdk/client-dynamodb';

let loading: Promise<typeof DynamoDB> | undefined;

/**
 * Loads the DynamoDB client on first use. Loading it costs about 100 ms of INIT, which a handler that
 * only imports `withResilience` (or never reaches the store) should not pay.
 */
export function loadDynamoDbSdk(): Promise<typeof DynamoDB> {
  return (loading ??= requireOrImport());
}

function requireOrImport(): Promise<typeof DynamoDB> {
  try {
    // CommonJS (Lambda's default, esbuild `cjs` bundles): `require` honours NODE_PATH, which is where
    // Lambda and the local runner put the SDK they ship.
    return Promise.resolve(require('@aws-sdk/client-dynamodb') as typeof DynamoDB);
  } catch {
    // ES modules have no `require`; in esbuild's ESM output it is a shim that always exists and throws
    // "Dynamic require ... is not supported", so no `typeof require` test can tell. Ask for forgiveness.
    return import('@aws-sdk/client-dynamodb');
  }
}
