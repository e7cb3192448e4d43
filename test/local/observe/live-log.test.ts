import type { InvocationRecord } from '../../../lib/local/functions/local-functions';
import type { FunctionSpec } from '../../../lib/local/model/specs';
import { format } from '../../../lib/local/observe/live-log';

const fn = { displayName: 'Orders' } as FunctionSpec;
const facts = { requestId: 'r-1', environmentId: 'Orders-xyz-1', initializationType: 'on-demand' as const, cold: false, durationMs: 3, throttled: false, timedOut: false };

describe('the invocation line', () => {
  test('a failure behind an API shows the status and the cause, so it is visible without the function log', () => {
    const record: InvocationRecord = {
      trigger: 'GET /orders', function: fn, status: 502,
      result: { error: { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module '@aws-sdk/lib-dynamodb'\nRequire stack:\n- /var/task/index.js", trace: [] }, facts },
    };
    expect(format.invocation(record, 0)).toMatch(/ 502 \(Runtime\.ImportModuleError: Error: Cannot find module '@aws-sdk\/lib-dynamodb'\)$/);
  });

  test('a failure without an HTTP status shows the error type and its message', () => {
    const record: InvocationRecord = { trigger: 'rule R', function: fn, result: { error: { errorType: 'TypeError', errorMessage: 'x is not a function', trace: [] }, facts } };
    expect(format.invocation(record, 0)).toMatch(/ error TypeError \(x is not a function\)$/);
  });

  test('a success shows the status alone', () => {
    expect(format.invocation({ trigger: 'GET /', function: fn, status: 200, result: { payload: {}, facts } }, 0)).toMatch(/ 200$/);
  });
});
