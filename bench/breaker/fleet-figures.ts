/*
 * The fleet table of bench:breaker: write load on one circuit's item at 1 000 instances x 100 calls/s,
 * detection time of an outage, and false opens of a fleet starting together at 20 % failures.
 */
import type { LocalDynamo } from '../../test/support/dynalite';
import { printTable } from '../support/table';
import { type FleetRun, type FleetShape, previousDesignWritesPerS, runFleet } from './fleet';

const BIG_FLEET = { instances: 1_000, callsPerS: 100, seconds: 10, seed: 1 };
const ERROR_RATES = [0, 0.05, 0.2, 0.4];
const START_FLEET = { instances: 50, callsPerS: 5, failureRate: 0.2, seconds: 30 };
const SEEDS = 20;
/** About what one DynamoDB item (one partition key) takes, in 1 KB write units per second. */
const ITEM_WRITE_UNITS_PER_S = 1_000;

export interface FleetFigures {
  readonly load: Array<{ shape: FleetShape; run: FleetRun }>;
  readonly outage: FleetRun;
  readonly falseOpens: number;
}

export async function fleetFigures(db: LocalDynamo): Promise<FleetFigures> {
  const load: FleetFigures['load'] = [];
  for (const failureRate of ERROR_RATES) {
    const shape = { ...BIG_FLEET, failureRate };
    process.stderr.write(`fleet: ${shape.instances} instances x ${shape.callsPerS} calls/s at ${failureRate * 100} % failures ...\n`);
    load.push({ shape, run: await runFleet(db, shape) });
  }
  process.stderr.write('fleet: outage after 10 s of healthy traffic ...\n');
  const outage = await runFleet(db, { ...BIG_FLEET, failureRate: 0, outageAtS: 10, seconds: 30 }, true);
  let falseOpens = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    if ((await runFleet(db, { ...START_FLEET, seed }, true)).openedAfterMs !== undefined) falseOpens++;
  }
  return { load, outage, falseOpens };
}

export function printFleetFigures(f: FleetFigures): void {
  console.log(`\nFleet: DynamoDB requests on one circuit's item (virtual clock, shipped defaults: flushMs = refreshMs = 5 s).`);
  console.log('Previous design: the formula of issue #11\'s review (it wrote max(0.2, rate x p / 5) per instance per second); it was replaced, so it cannot run here.\n');
  printTable(
    ['fleet', 'calls/s', 'failures', 'writes/s (ours)', 'peak writes in 1 s (ours)', 'reads/s (ours)', 'writes/s (previous design)'],
    f.load.map(({ shape, run }) => [
      `${shape.instances} instances`, `${shape.instances * shape.callsPerS}`, `${shape.failureRate * 100} %`,
      run.writesPerS.toFixed(0), run.peakWritesPerS, run.readsPerS.toFixed(0), previousDesignWritesPerS(shape).toFixed(0),
    ]),
  );
  console.log(`\nBudget: writes/s ~= instances / (flushMs / 1000), whatever the error rate; each write of an item of k KB costs k write units,`);
  console.log(`so a circuit fits one item's ~${ITEM_WRITE_UNITS_PER_S} units/s while instances x itemKB <= ${ITEM_WRITE_UNITS_PER_S} x flushMs / 1000 (raise flushMs beyond that).`);
  const detected = f.outage.openedAfterMs;
  console.log(`\nOutage (every call fails from t = 10 s, 1 000 instances x 100 calls/s): circuit OPEN after ${detected === undefined ? 'never (30 s)' : `${(detected / 1000).toFixed(2)} s`}.`);
  console.log(`False opens: ${f.falseOpens} of ${SEEDS} seeds (${START_FLEET.instances} instances starting together, ${START_FLEET.callsPerS} calls/s each, ${START_FLEET.failureRate * 100} % failures, threshold 50 %, ${START_FLEET.seconds} s).`);
}
