import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LATE_REPLY_FACTOR } from './breaker-store';
import { loadDynamoDbSdk } from './dynamodb-sdk';

// One client per request budget for the whole execution environment: N circuits share its connection
// pool instead of opening N of their own.
const clients = new Map<number, Promise<DynamoDBClient>>();

/**
 * The environment's DynamoDB client for this per-request budget: one attempt (the SDK would replay a flush's
 * ADD blindly; the breaker retries itself, knowing what a lost reply means), a connect timeout of the budget,
 * and a socket timeout long enough for a write's late reply (see breakerStore).
 */
export function sharedDynamoDbClient(timeoutMs: number): Promise<DynamoDBClient> {
  let client = clients.get(timeoutMs);
  if (!client) {
    client = loadDynamoDbSdk().then(({ DynamoDBClient }) => new DynamoDBClient({
      maxAttempts: 1,
      requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs * LATE_REPLY_FACTOR, throwOnRequestTimeout: true },
    }));
    // A failed SDK load is not cached: the next breaker call tries again.
    client.catch(() => clients.delete(timeoutMs));
    clients.set(timeoutMs, client);
  }
  return client;
}
