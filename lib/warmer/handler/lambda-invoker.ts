import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { WarmupInvoker } from './warmer';

/**
 * The production invoker: synchronous Lambda invokes through one client whose connection pool admits
 * `maxSockets` requests at once (the SDK's default of 50 would queue calls and break the hold).
 */
export function lambdaInvoker(maxSockets: number): WarmupInvoker {
  const agentOptions = { keepAlive: true, maxSockets };
  const client = new LambdaClient({
    // The top-up round is the warmer's retry; an SDK retry after backoff would arrive after the release anyway.
    maxAttempts: 1,
    requestHandler: { httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions) },
  });
  return async (functionArn, payload) => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: JSON.stringify(payload) }),
    );
    const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
    const body: unknown = text ? JSON.parse(text) : null;
    if (output.FunctionError) {
      const error = body as { errorType?: string; errorMessage?: string } | null;
      throw Object.assign(new Error(error?.errorMessage ?? output.FunctionError), { name: error?.errorType ?? 'FunctionError' });
    }
    return body;
  };
}
