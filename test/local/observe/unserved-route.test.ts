import type { ApiSpec, SkippedResource } from '../../../lib/local/model/specs';
import { unservedTarget } from '../../../lib/local/observe/unserved-route';

/* A request to a route whose function the runner does not run says which function and why. */

const served = 'arn:aws:lambda:us-east-1:123456789012:function:App-Greet-AAAA1111';
const python = 'arn:aws:lambda:us-east-1:123456789012:function:App-Report-BBBB2222';
const named = 'arn:aws:lambda:us-east-1:123456789012:function:reports-by-name';
const skipped: SkippedResource[] = [{ stackName: 'App', logicalId: 'Report', type: 'AWS::Lambda::Function', reason: 'runtime python3.12 is not a Node.js runtime' }];
const runs = (arn: string) => arn === served;

const rest = {
  kind: 'rest',
  routes: [
    { method: 'GET', resourcePath: '/greet', backend: { kind: 'lambda', functionArn: served, payloadVersion: '1.0' } },
    { method: 'GET', resourcePath: '/report', backend: { kind: 'lambda', functionArn: `${python}:live`, payloadVersion: '1.0' } },
    { method: 'GET', resourcePath: '/named', backend: { kind: 'lambda', functionArn: named, payloadVersion: '1.0' } },
    { method: 'POST', resourcePath: '/queue', backend: { kind: 'unsupported', reason: 'AWS integration to SQS' } },
  ],
} as unknown as ApiSpec;

test.each([
  ['GET /greet', undefined],
  ['GET /report', 'App/Report, not run here: runtime python3.12 is not a Node.js runtime'],
  ['GET /named', 'reports-by-name, which the runner does not run (see the start-up report)'],
  ['POST /queue', 'an integration the runner does not emulate (AWS integration to SQS)'],
  ['GET /missing', undefined],
])('%s -> %s', (routeKey, expected) => {
  expect(unservedTarget(rest, routeKey, runs, skipped)).toBe(expected);
});

test('HTTP API routes are found by their route key', () => {
  const http = { kind: 'http', routes: [{ routeKey: 'GET /report', backend: { kind: 'lambda', functionArn: python, payloadVersion: '2.0' } }] } as unknown as ApiSpec;
  expect(unservedTarget(http, 'GET /report', runs, skipped)).toBe('App/Report, not run here: runtime python3.12 is not a Node.js runtime');
});
