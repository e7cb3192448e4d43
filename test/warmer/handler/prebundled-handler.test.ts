/*
 * The pre-bundled warmer handler, exactly as the package ships it, running as a Lambda-like function itself:
 * it calls the target through the AWS SDK against the local Invoke API (AWS_ENDPOINT_URL_LAMBDA).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WARMER_METRIC } from '../../../lib/contract';
import { FunctionPool, InvokeApi, LogLine, startInvokeApi } from '../../../lib/local';
import type { WarmerSummary } from '../../../lib/warmer/handler';
import { bundleFixture } from '../../local/execution/support/bundle-fixture';

const REPO = join(__dirname, '..', '..', '..');
/** Where bin/build-assets.mjs puts the warmer bundle the Warmer construct deploys. */
const BUNDLE = join(REPO, 'dist', 'handlers', 'warmer', 'index.js');
const TARGET_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:warm-target:live';

let target: FunctionPool;
let warmer: FunctionPool;
let api: InvokeApi;
const warmerLogs: LogLine[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, [join(REPO, 'bin', 'build-assets.mjs')], { stdio: 'pipe' });
  target = new FunctionPool({
    functionName: 'warm-target',
    handlerPath: bundleFixture(join(__dirname, '..', '..', 'runtime', 'warmup', 'fixtures', 'warm-target.ts')),
    onLog: () => undefined,
  });
  api = await startInvokeApi({ resolve: (name) => (name === 'warm-target' ? target : undefined) });
  warmer = new FunctionPool({
    functionName: 'warmer',
    handlerPath: BUNDLE,
    timeoutMs: 30_000,
    environment: { AWS_ENDPOINT_URL_LAMBDA: api.url, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    onLog: (line) => warmerLogs.push(line),
  });
});
afterAll(async () => {
  await warmer.close();
  await api.close();
  await target.close();
});

describe('pre-bundled warmer handler', () => {
  test('is one minified CommonJS file that leaves the AWS SDK to the Lambda runtime', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code.startsWith('"use strict";')).toBe(true);
    // Minified: no comments survive, and the whole warmer stays small.
    expect(code).not.toContain('/**');
    expect(Buffer.byteLength(code)).toBeLessThan(8 * 1024);
    expect(code).toContain('require("@aws-sdk/client-lambda")');
    expect(code).not.toMatch(/class LambdaClient|smithy-client/);
  });

  test('warms N distinct environments of the target and logs the EMF metrics', async () => {
    const result = await warmer.invoke({ targets: [{ functionArn: TARGET_ARN, concurrency: 5 }], holdMs: 500 });
    expect(result.error).toBeUndefined();
    const summary = result.payload as WarmerSummary;
    expect(summary.targets[0]).toMatchObject({ target: 'warm-target:live', requested: 5, distinct: 5, cold: 5, failed: 0, throttled: 0 });
    expect(target.stats).toMatchObject({ environments: 5, idle: 5 });

    await new Promise((resolve) => setTimeout(resolve, 50));
    const emf = warmerLogs.map((l) => l.text.split('\t').pop() ?? '').find((text) => text.includes('"_aws"'));
    expect(JSON.parse(emf!)).toMatchObject({ Target: 'warm-target:live', [WARMER_METRIC.REQUESTED]: 5, [WARMER_METRIC.DISTINCT]: 5 });
  });

  test('rejects a malformed schedule payload with a clear error', async () => {
    const result = await warmer.invoke({ targets: [{ functionArn: TARGET_ARN, concurrency: 0 }] });
    expect(result.error).toMatchObject({ errorType: 'TypeError' });
    expect(result.error?.errorMessage).toContain('targets[0].concurrency must be an integer from 1 to 1000, got 0');
  });
});
