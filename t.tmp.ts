import { FunctionPool } from './lib/local';
import { bundleFixture } from './test/local/execution/support/bundle-fixture';
(async () => {
  const file = bundleFixture('/work/main/test/runtime/warmup/fixtures/warm-target.ts');
  for (const n of [20, 50]) {
    const pool = new FunctionPool({ functionName: 't', handlerPath: file, onLog: () => {} });
    const t = performance.now();
    await Promise.all(Array.from({ length: n }, () => pool.invoke({})));
    console.log(n, 'cold burst ms', performance.now() - t);
    await pool.close();
  }
})();
