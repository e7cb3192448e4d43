import { startPricingServer, PricingServer } from './pricing-server';
import { synthesizeExample, SynthesizedAssembly } from './example-assembly';
import { startHarness, Harness } from './runner-harness';

/** The example app synthesized against a fake pricing service, with runners started on it. */
export interface ExampleWorld {
  /** The fake downstream the Quote function calls through its breaker. */
  readonly pricing: PricingServer;
  /** The synthesized cloud assembly directory. */
  readonly directory: string;
  /** Starts a runner on the example assembly with its virtual clock at `start`; closed after all tests. */
  harness(start: Date): Promise<Harness>;
}

/**
 * Registers the `beforeAll`/`afterAll` hooks that start the pricing service, synthesize the example once,
 * and tear everything down. Call it at the top of a test file, before the file's own hooks.
 */
export function exampleWorld(): ExampleWorld {
  let pricing: PricingServer | undefined;
  let assembly: SynthesizedAssembly | undefined;
  const harnesses: Harness[] = [];
  beforeAll(async () => {
    pricing = await startPricingServer();
    assembly = synthesizeExample({ pricingUrl: pricing.url });
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.runner.close()));
    assembly?.remove();
    await pricing?.close();
  });
  return {
    get pricing() {
      return pricing!;
    },
    get directory() {
      return assembly!.directory;
    },
    async harness(start) {
      const h = await startHarness(this.directory, start);
      harnesses.push(h);
      return h;
    },
  };
}
