import { FunctionPool, FunctionPoolOptions } from '../../../lib/local';
import { fixture } from './support/bundle-fixture';

const valid: FunctionPoolOptions = { functionName: 'orders', handlerPath: fixture('behaviours.cjs') };
const create = (overrides: Record<string, unknown>) => () => new FunctionPool({ ...valid, ...overrides } as FunctionPoolOptions);

describe('FunctionPool options', () => {
  test('valid options with defaults create a pool without starting anything', () => {
    const pool = new FunctionPool(valid);
    expect(pool.functionName).toBe('orders');
    expect(pool.stats.environments).toBe(0);
  });

  test.each([
    ['functionName', { functionName: 'has spaces' }, `functionName must be 1-64 characters of a-z, A-Z, 0-9, '-' or '_', got "has spaces"`],
    ['functionName', { functionName: 'x'.repeat(65) }, 'functionName must be 1-64 characters'],
    ['handlerPath', { handlerPath: 'relative/index.js' }, 'handlerPath must be an absolute path to a bundled handler file, got "relative/index.js"'],
    ['handlerPath', { handlerPath: '/nowhere/index.js' }, 'handlerPath must name an existing file, got "/nowhere/index.js" (not found)'],
    ['handlerName', { handlerName: 'not-an-export' }, 'handlerName must be a JavaScript export name, got "not-an-export"'],
    ['environment', { environment: { PORT: 8080 } }, 'environment.PORT must be a string, got 8080'],
    ['timeoutMs', { timeoutMs: 0 }, 'timeoutMs must be an integer from 1 to 900000, got 0'],
    ['timeoutMs', { timeoutMs: 900_001 }, 'timeoutMs must be an integer from 1 to 900000, got 900001'],
    ['memoryMb', { memoryMb: 64 }, 'memoryMb must be an integer from 128 to 10240, got 64'],
    ['reservedConcurrency', { reservedConcurrency: -1 }, 'reservedConcurrency must be an integer from 0 to 100000, got -1'],
    ['provisionedConcurrency', { provisionedConcurrency: 1.5 }, 'provisionedConcurrency must be an integer from 0 to 100000, got 1.5'],
    ['provisioned > reserved', { provisionedConcurrency: 3, reservedConcurrency: 2 }, 'provisionedConcurrency (3) must not exceed reservedConcurrency (2)'],
    ['idleTimeoutMs', { idleTimeoutMs: -5 }, 'idleTimeoutMs must be an integer from 0 to 2147483647, got -5'],
    ['initTimeoutMs', { initTimeoutMs: 0 }, 'initTimeoutMs must be an integer from 1 to 2147483647, got 0'],
    ['maxConcurrency', { maxConcurrency: 0 }, 'maxConcurrency must be an integer from 1 to 100000, got 0'],
    ['onLog', { onLog: 'console' }, 'onLog must be a function, got string'],
    ['runtime', { runtime: 'python3.12' }, 'runtime must be a Node.js runtime identifier such as nodejs24.x, got "python3.12"'],
    ['logFormat', { logFormat: 'xml' }, `logFormat must be 'text' or 'json', got "xml"`],
    ['codeDirectory', { codeDirectory: 'relative' }, 'codeDirectory must be an absolute path, got "relative"'],
    ['codeDirectory', { codeDirectory: '/elsewhere' }, 'codeDirectory must contain handlerPath, got "/elsewhere" for'],
    ['onNotice', { onNotice: 42 }, 'onNotice must be a function, got number'],
  ])('rejects a bad %s', (_name, overrides, message) => {
    expect(create(overrides)).toThrow(message);
  });

  test('names the function and lists every problem at once', () => {
    expect(create({ timeoutMs: 0, memoryMb: 1 })).toThrow(
      'FunctionPool(orders): invalid options:\n  - timeoutMs must be an integer from 1 to 900000, got 0\n  - memoryMb must be an integer from 128 to 10240, got 1',
    );
  });

  test('rejects a missing options object', () => {
    expect(() => new FunctionPool(undefined as unknown as FunctionPoolOptions)).toThrow('FunctionPool: options must be an object, got undefined');
  });
});
