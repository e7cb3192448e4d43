import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadDynamoDbSdk } from './dynamodb-sdk';

// One client per request budget for the whole execution environment: N circuits share its connection
// pool instead of opening N of their own.
const clients = new Map<number, Promise<DynamoDBClient>>();

/** The environment's DynamoDB client for this per-request budget: short timeouts, at most 2 attempts. */
export function sharedDynamoDbClient(timeoutMs: number): Promise<DynamoDBClient> {
  let client = clients.get(timeoutMs);
  if (!client) {
    client = loadDynamoDbSdk().then(({ DynamoDBClient }) => new DynamoDBClient({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    }));
    // A failed SDK load is not cached: the next breaker call tries again.
    client.catch(() => clients.delete(timeoutMs));
    clients.set(timeoutMs, client);
  }
  return client;
}
