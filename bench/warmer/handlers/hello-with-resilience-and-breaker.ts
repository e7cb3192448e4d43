// The baseline wrapped for warming, its downstream call behind the shared circuit breaker.
import { CircuitBreaker, withResilience } from '../../../lib/runtime';

const breaker = new CircuitBreaker({ name: 'downstream', tableName: 'breaker-table' });

export const handler = withResilience(async (_event: unknown, context: { getRemainingTimeInMillis(): number }) =>
  breaker.execute(async () => ({ statusCode: 200, body: 'Hello, Serverless!' }), context),
);
