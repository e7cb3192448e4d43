import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ServerlessChecks } from 'cdk-nag';
import { AWS_CDK_LIB_VERSION, BUILTIN_VALIDATOR_SINCE, HAS_BUILTIN_VALIDATOR } from '../support/template-checks';
import { compareVersions, peerFloor, peerRange, PINNED_DIR, pinnedFloor, pinnedLatest, ROOT } from './versions';

/*
 * Runs in both runs. `npm test` must be on the pinned latest aws-cdk-lib (the devDependency) and
 * `npm run test:floor` on the floor of the peer range; test/floor/jest.config.js marks the floor run.
 */
const FLOOR_RUN = (globalThis as { __AWS_CDK_LIB_FLOOR_RUN__?: boolean }).__AWS_CDK_LIB_FLOOR_RUN__ === true;

describe('the aws-cdk-lib versions under test', () => {
  test('test/floor/pinned/package.json pins the floor of the peer range (package.json peerDependencies)', () => {
    // On failure: the peer range and test/floor/pinned/package.json (and its lock file) move together.
    expect({ peerRange: peerRange(), pinned: pinnedFloor() }).toEqual({ peerRange: peerRange(), pinned: peerFloor() });
  });

  test('the peer range accepts the pinned latest devDependency', () => {
    expect(pinnedLatest().split('.')[0]).toBe(peerFloor().split('.')[0]);
    expect(compareVersions(pinnedLatest(), peerFloor())).toBeGreaterThanOrEqual(0);
  });

  const expected = FLOOR_RUN ? { run: 'floor', version: peerFloor(), dir: PINNED_DIR } : { run: 'pinned latest', version: pinnedLatest(), dir: ROOT };

  test(`this run is on the ${expected.run} aws-cdk-lib ${expected.version}`, () => {
    expect(AWS_CDK_LIB_VERSION).toBe(expected.version);
    const inside = (dir: string, ...file: string[]) => fs.realpathSync(path.join(dir, 'node_modules', ...file));
    expect(require.resolve('aws-cdk-lib')).toBe(inside(expected.dir, 'aws-cdk-lib', 'index.js'));
    expect(require.resolve('aws-cdk-lib/aws-lambda')).toBe(inside(expected.dir, 'aws-cdk-lib', 'aws-lambda', 'index.js'));
    // One constructs for everything (the floor copy was installed without its peer).
    expect(require.resolve('constructs')).toBe(inside(ROOT, 'constructs', 'lib', 'index.js'));
  });

  test('cdk-nag runs on the same aws-cdk-lib copy as the tests and the library', () => {
    // cdk-nag walks the tree with its own `aws_cdk_lib.CfnResource.isCfnResource`: the spy only sees the
    // calls when cdk-nag's `require('aws-cdk-lib')` returned this very module (aws-cdk-lib's symbols are
    // global, so a second copy would still work, silently testing the wrong version).
    const stack = new Stack(new App(), 'Nag');
    new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue' });
    const spy = jest.spyOn(CfnResource, 'isCfnResource');
    try {
      new ServerlessChecks().validateScope(stack);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test(`the built-in CloudFormation validator is detected exactly when the version has it (${BUILTIN_VALIDATOR_SINCE} and later)`, () => {
    // Guards the skip condition of the validator tests (support/template-checks.ts).
    expect(HAS_BUILTIN_VALIDATOR).toBe(compareVersions(AWS_CDK_LIB_VERSION, BUILTIN_VALIDATOR_SINCE) >= 0);
  });
});
