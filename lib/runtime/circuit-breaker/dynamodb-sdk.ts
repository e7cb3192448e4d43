import type * as DynamoDB from '@aws-sdk/client-dynamodb';

let loading: Promise<typeof DynamoDB> | undefined;

/**
 * Loads the DynamoDB client on first use. Loading it costs about 100 ms of INIT, which a handler that
 * only imports `withResilience` (or never reaches the store) should not pay.
 *
 * `require` where it exists (CommonJS handlers, Lambda's default): it honours NODE_PATH, which is how
 * Lambda and the local runner expose the SDK they ship; ES module handlers fall back to `import()`.
 */
export function loadDynamoDbSdk(): Promise<typeof DynamoDB> {
  return (loading ??= typeof require === 'function'
    ? Promise.resolve(require('@aws-sdk/client-dynamodb') as typeof DynamoDB)
    : import('@aws-sdk/client-dynamodb'));
}
