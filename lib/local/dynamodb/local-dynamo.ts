import type { Server } from 'node:http';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  private constructor(readonly endpoint: string, readonly client: DynamoDBClient, private readonly server: Server, private readonly release: () => void) {}

  /**
   * Starts dynalite on an ephemeral loopback port (in memory, or persisted in `dataDirectory`) and creates the
   * tables that do not exist yet.
   */
  static async start(tables: readonly TableSpec[], region: string, dataDirectory?: string): Promise<LocalDynamo> {
    const factory = requireRunnerDependency<DynaliteFactory>('dynalite');
    const { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } = requireRunnerDependency<typeof DynamoDbSdk>('@aws-sdk/client-dynamodb');
    const release = dataDirectory ? claimDataDirectory(dataDirectory) : () => undefined;
    const server = factory({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDirectory ? { path: dataDirectory } : {}) });
    const port = await listen(server, 0, '127.0.0.1', 'dynalite');
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new DynamoDBClient({ endpoint, region, credentials: DUMMY_CREDENTIALS, maxAttempts: 2 });
    const dynamo = new LocalDynamo(endpoint, client, server, release);
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
    this.release();
  }
}

/**
 * Makes the data directory this runner's: it must be a directory, and no other live runner may hold it (dynalite's
 * database takes one process; a second one fails later, deep inside the database). Returns its release.
 */
function claimDataDirectory(directory: string): () => void {
  const problem = (what: string) => new LocalRunnerError(`--data-dir ${directory} ${what}`);
  try {
    mkdirSync(directory, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw problem(code === 'EEXIST' || code === 'ENOTDIR' ? 'is a file (or lies under one), not a directory: choose a directory' : `cannot be created (${code ?? (err as Error).message})`);
  }
  if (!statSync(directory).isDirectory()) throw problem('is a file, not a directory: choose a directory');
  const lock = join(directory, 'runner.pid');
  const holder = Number(readFileOr(lock, ''));
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw problem(`is in use by another local runner (pid ${holder}): stop that one or choose another directory`);
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

function readFileOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
