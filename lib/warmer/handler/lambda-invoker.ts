import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { InvokeCommand, LambdaClient, LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { WarmupInvoker } from './warmer';

/** A warm-up invoker that owns an SDK client; `destroy()` closes its sockets. */
export type LambdaInvoker = WarmupInvoker & { destroy(): void };

/**
 * The production invoker: synchronous Lambda invokes through one client whose connection pool admits
 * `maxSockets` requests at once (the SDK's default of 50 would queue calls and break the hold).
 * `config` adds client settings (a local endpoint and credentials in tests and the local runner).
 */
export function lambdaInvoker(maxSockets: number, config: LambdaClientConfig = {}): LambdaInvoker {
  const agentOptions = { keepAlive: true, maxSockets };
  const client = new LambdaClient({
    ...config,
    // The top-up round is the warmer's retry; an SDK retry after backoff would arrive after the release anyway.
    maxAttempts: 1,
    requestHandler: { httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions) },
  });
  const invoke: WarmupInvoker = async (functionArn, payload) => {
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
  return Object.assign(invoke, { destroy: () => client.destroy() });
}
