import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { CircuitBreaker, CircuitOpenError, withResilience } from '../../lib/runtime';

// Module scope: the breaker's cached state is what keeps DynamoDB calls per instance, not per request.
const pricing = new CircuitBreaker({
  name: 'pricing',
  failureRateThreshold: 50,
  minimumCalls: 10,
  windowMs: 60_000,
  openMs: 30_000,
  halfOpenProbes: 3,
  callTimeoutMs: 2_000,
});

/** Asks the pricing service for a quote, through the shared circuit breaker. */
export const handler = withResilience(async (_event: unknown, context: Context): Promise<APIGatewayProxyResultV2> => {
  try {
    const quote = await pricing.execute(async (signal) => {
      const response = await fetch(process.env.PRICING_URL!, { signal });
      if (!response.ok) {
        throw new Error(`pricing answered ${response.status}`);
      }
      return response.json();
    }, { context });
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(quote) };
  } catch (error) {
    if (error instanceof CircuitOpenError) {
      return { statusCode: 503, headers: { 'retry-after': '30' }, body: 'Pricing is unavailable; try again shortly.' };
    }
    return { statusCode: 502, body: `Pricing failed: ${(error as Error).message}` };
  }
});
