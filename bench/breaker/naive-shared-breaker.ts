import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

/*
 * BASELINE, written for this benchmark only: the shape of the shared-state Lambda breakers in common use.
 * It reads the circuit's item on every call and writes the whole item back after every call, with no
 * condition, so concurrent instances overwrite each other (last writer wins): failure counts get lost and
 * a stale CLOSED can overwrite an OPEN. Do not use it; it exists to be measured against.
 */
export class NaiveSharedBreaker {
  /** Transitions to OPEN this instance wrote (only the benchmark's concurrency check reads it). */
  opened = 0;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly name: string,
    private readonly clock: { now(): number },
    private readonly options = { failureRateThreshold: 50, minimumCalls: 10, openMs: 30_000 },
  ) {}

  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: this.name } } }));
    const item = out.Item;
    let state = item?.state?.S ?? 'CLOSED';
    let successes = Number(item?.successes?.N ?? 0);
    let failures = Number(item?.failures?.N ?? 0);
    let openUntil = Number(item?.openUntil?.N ?? 0);
    const now = this.clock.now();
    if (state === 'OPEN' && now < openUntil) throw new Error(`naive breaker "${this.name}" is open`);
    if (state === 'OPEN') {
      state = 'HALF_OPEN';
    }
    let result: T | undefined;
    let error: unknown;
    try {
      result = await fn();
    } catch (e) {
      error = e;
    }
    if (error === undefined) {
      successes++;
      if (state === 'HALF_OPEN') {
        state = 'CLOSED';
        successes = 0;
        failures = 0;
      }
    } else {
      failures++;
      const calls = successes + failures;
      if (state === 'HALF_OPEN' || (calls >= this.options.minimumCalls && failures * 100 >= this.options.failureRateThreshold * calls)) {
        state = 'OPEN';
        this.opened++;
        openUntil = now + this.options.openMs;
        successes = 0;
        failures = 0;
      }
    }
    await this.client.send(new PutItemCommand({
      TableName: this.tableName,
      Item: {
        pk: { S: this.name }, state: { S: state }, successes: { N: String(successes) }, failures: { N: String(failures) },
        openUntil: { N: String(openUntil) },
      },
    }));
    if (error !== undefined) throw error;
    return result as T;
  }
}
