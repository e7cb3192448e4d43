import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import type * as DynamoDbSdk from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireRunnerDependency } from '../dependencies/runner-dependencies';
import { closeServer, listen } from '../http/listen';
import { LocalRunnerError } from '../errors';
import type { TableSpec } from '../model/specs';

/** Credentials the local services accept; real ones are never needed (nor read). */
export const DUMMY_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number; path?: string }) => Server;

/** The app's DynamoDB tables in an embedded dynalite. */
export class LocalDynamo {
  private constructor(readonly endpoint: string, readonly client: DynamoDBClient, private readonly server: Server) {}

  /**
   * Starts dynalite on an ephemeral loopback port (in memory, or persisted in `dataDirectory`) and creates the
   * tables that do not exist yet.
   */
  static async start(tables: readonly TableSpec[], region: string, dataDirectory?: string): Promise<LocalDynamo> {
    const factory = requireRunnerDependency<DynaliteFactory>('dynalite');
    const { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } = requireRunnerDependency<typeof DynamoDbSdk>('@aws-sdk/client-dynamodb');
    if (dataDirectory) mkdirSync(dataDirectory, { recursive: true });
    const server = factory({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDirectory ? { path: dataDirectory } : {}) });
    const port = await listen(server, 0, '127.0.0.1', 'dynalite');
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new DynamoDBClient({ endpoint, region, credentials: DUMMY_CREDENTIALS, maxAttempts: 2 });
    const dynamo = new LocalDynamo(endpoint, client, server);
    try {
      const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
      for (const table of tables) {
        if (existing.has(table.tableName)) continue;
        try {
          await client.send(new CreateTableCommand(table.createTable as unknown as CreateTableCommandInput));
        } catch (err) {
          throw new LocalRunnerError(`Cannot create DynamoDB table ${table.displayName} (${table.tableName}) in dynalite: ${(err as Error).message}`);
        }
        while ((await client.send(new DescribeTableCommand({ TableName: table.tableName }))).Table?.TableStatus !== 'ACTIVE') {
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    } catch (err) {
      await dynamo.close();
      throw err;
    }
    return dynamo;
  }

  async close(): Promise<void> {
    this.client.destroy();
    await closeServer(this.server);
  }
}
