import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { FunctionPool, InvokeApi, startInvokeApi } from '../../../lib/local';
import { fixture } from './support/bundle-fixture';

let pool: FunctionPool;
let throttled: FunctionPool;
let api: InvokeApi;
let client: LambdaClient;

beforeAll(async () => {
  pool = new FunctionPool({ functionName: 'behaviours', handlerPath: fixture('behaviours.cjs'), onLog: () => undefined });
  throttled = new FunctionPool({ functionName: 'closed', handlerPath: fixture('behaviours.cjs'), reservedConcurrency: 0, onLog: () => undefined });
  const pools = new Map([pool, throttled].map((p) => [p.functionName, p]));
  api = await startInvokeApi({ resolve: (name) => pools.get(name) });
  client = new LambdaClient({
    endpoint: api.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client.destroy();
  await api.close();
  await Promise.all([pool.close(), throttled.close()]);
});

const invoke = (FunctionName: string, payload: unknown, InvocationType?: 'Event' | 'DryRun') =>
  client.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify(payload), InvocationType }));
const decode = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

describe('local Invoke API', () => {
  test('the AWS SDK invokes an alias ARN and gets the payload, with the qualifier in the context', async () => {
    const output = await invoke('arn:aws:lambda:us-east-1:123456789012:function:behaviours:live', { echo: 'hi' });
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    const body = decode(output.Payload);
    expect(body.echo).toBe('hi');
    expect(body.context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:behaviours:live');
  });

  test('a handler error comes back as FunctionError Unhandled with the error document', async () => {
    const output = await invoke('behaviours', { throwType: 'RangeError', throwMessage: 'too big' });
    expect(output.FunctionError).toBe('Unhandled');
    expect(decode(output.Payload)).toMatchObject({ errorType: 'RangeError', errorMessage: 'too big' });
  });

  test('a throttle is the SDK TooManyRequestsException', async () => {
    await expect(invoke('closed', {})).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });

  test('an unknown function is ResourceNotFoundException', async () => {
    await expect(invoke('missing', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('Event invocations are accepted (202) and run in the background', async () => {
    const before = pool.stats.invocations;
    const output = await invoke('behaviours', {}, 'Event');
    expect(output.StatusCode).toBe(202);
    while (pool.stats.invocations === before) await new Promise((r) => setTimeout(r, 10));
    expect(pool.stats.invocations).toBe(before + 1);
  });

  test('a body that is not JSON is InvalidRequestContentException', async () => {
    const res = await fetch(`${api.url}/2015-03-31/functions/behaviours/invocations`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });

  test('startInvokeApi rejects a missing resolver', async () => {
    await expect(startInvokeApi({} as never)).rejects.toThrow('startInvokeApi: options.resolve must be a function, got undefined');
  });
});
