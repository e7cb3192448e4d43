import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as DynaliteFactory;

/** An in-process dynalite server on an ephemeral 127.0.0.1 port. */
export interface LocalDynamo {
  readonly endpoint: string;
  readonly port: number;
  /** A client pointed at this server (dummy credentials, no network beyond loopback). */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Creates a fresh table with partition key `pk` (string), as the breaker expects; returns its name. */
  createBreakerTable(name?: string): Promise<string>;
  /** Stops the server and drops open connections, as an outage would. Idempotent. */
  stop(): Promise<void>;
}

let tableCounter = 0;

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // Requests dynalite is still working on when the server stops: its action callbacks throw (and crash the
  // process) if they meet a closed database, so stop() turns new requests away and lets these finish first.
  let working = 0;
  const drained: Array<() => void> = [];
  server.prependListener('request', (_req, res) => {
    working++;
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => {
      if (--working === 0) drained.splice(0).forEach((resolve) => resolve());
      return end(...args);
    }) as typeof res.end;
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = clientFor(endpoint);
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    port,
    client: (config) => clientFor(endpoint, config),
    async createBreakerTable(name = `breaker-${process.pid}-${++tableCounter}`) {
      await admin.send(new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }));
      // createTableMs: 0 still flips CREATING -> ACTIVE on a timer
      for (;;) {
        const out = await admin.send(new DescribeTableCommand({ TableName: name }));
        if (out.Table?.TableStatus === 'ACTIVE') return name;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    stop() {
      stopped ??= (async () => {
        server.removeAllListeners('request');
        server.on('request', (req) => req.socket.destroy());
        admin.destroy();
        server.closeAllConnections(); // clients see the outage at once
        if (working > 0) await new Promise<void>((resolve) => drained.push(resolve));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return stopped;
    },
  };
}

function clientFor(endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    ...config,
  });
}

/** Counts DynamoDB HTTP requests a client sends (each attempt, so retries count), by operation. */
export interface RequestCounter {
  readonly total: number;
  readonly byOperation: Readonly<Record<string, number>>;
  reset(): void;
}

export function countRequests(client: DynamoDBClient): RequestCounter {
  const byOperation: Record<string, number> = {};
  let total = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      total++;
      const op = context.commandName ?? 'unknown';
      byOperation[op] = (byOperation[op] ?? 0) + 1;
      return next(args);
    },
    // the deserialize step runs once per attempt, inside the retry loop
    { step: 'deserialize', name: 'countRequests' },
  );
  return {
    get total() {
      return total;
    },
    byOperation,
    reset() {
      total = 0;
      for (const key of Object.keys(byOperation)) delete byOperation[key];
    },
  };
}

/** Faults a client meets on its way to the store, per request (each attempt). */
export interface FaultPlan {
  /** The request reaches the server and is applied; its reply is lost on the way back (a reset connection). */
  loseReply?(request: number, operation: string): boolean;
  /** The reply arrives this many ms after the server sent it (a slow store or network). */
  replyDelayMs?: number;
  /** The store refuses the request, as DynamoDB does when the item's partition is over its throughput. */
  throttle?(request: number, operation: string): boolean;
}

/**
 * Injects faults between a client and dynalite. Throttled requests never reach the server (DynamoDB answers
 * 400 ProvisionedThroughputExceededException); lost replies happen after the server applied the request.
 */
export function injectFaults(client: DynamoDBClient, plan: FaultPlan): void {
  let requests = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const n = ++requests;
      const operation = context.commandName ?? 'unknown';
      if (plan.throttle?.(n, operation)) {
        throw Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded'), {
          name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 },
        });
      }
      const reply = await next(args);
      if (plan.replyDelayMs) await new Promise((r) => setTimeout(r, plan.replyDelayMs));
      if (plan.loseReply?.(n, operation)) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return reply;
    },
    { step: 'deserialize', name: 'injectFaults' },
  );
}
