import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalRunnerError } from '../../../lib/local/errors';
import { startLocalRunner } from '../../../lib/local/runner';
import { inlineFunction, writeAssembly } from '../support/handmade-assembly';

/* The dashboard's port: the one after the events endpoint; a busy one stops the start and names it; it can be turned off. */

const assembly = writeAssembly({ App: { Resources: { Fn: inlineFunction('x') } } });
afterAll(() => assembly.remove());

/** Holds a free port and returns it with the port just below (for the events endpoint), free too. */
async function holdPortAfterAFreeOne(): Promise<{ first: number; holder: Server }> {
  for (;;) {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = (holder.address() as AddressInfo).port;
    const probe = createServer();
    const free = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(held - 1, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => probe.close(resolve));
      return { first: held - 1, holder };
    }
    await new Promise((resolve) => holder.close(resolve));
  }
}

test('a busy dashboard port stops the start with the port and what it was for, and frees the ports taken before it', async () => {
  const { first, holder } = await holdPortAfterAFreeOne();
  try {
    const start = startLocalRunner({ assembly: assembly.directory, port: first, log: () => undefined });
    await expect(start).rejects.toThrow(LocalRunnerError);
    await expect(start).rejects.toThrow(`Port ${first + 1} on 127.0.0.1 (for the local dashboard) is already in use`);
    // The events endpoint had taken `first`: it was closed again.
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(first, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => again.close(resolve));
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});

test('dashboard: false serves no dashboard', async () => {
  const runner = await startLocalRunner({ assembly: assembly.directory, port: 0, log: () => undefined, dashboard: false });
  try {
    expect(runner.dashboardUrl).toBeUndefined();
  } finally {
    await runner.close();
  }
});
