import { BreakerStateChange, BreakerWatch, changesBetween } from '../../../lib/local/observe/breaker-watch';
import { format } from '../../../lib/local/observe/live-log';
import type { FunctionSpec } from '../../../lib/local/model/specs';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { fail, FakeClock, instance, outcome, succeed } from '../../runtime/circuit-breaker/harness';

/*
 * The runner logs every state change of a shared circuit, even those that happen between two of its reads:
 * a failed probe moves OPEN -> HALF_OPEN -> OPEN inside one invocation, so the reads before and after both
 * show OPEN, one version apart.
 */

describe('changesBetween: the transitions two reads of a circuit item imply', () => {
  test('one version more and OPEN again: the probe failed (OPEN -> HALF_OPEN -> OPEN)', () => {
    expect(changesBetween({ state: 'OPEN', version: 3 }, { state: 'OPEN', version: 4 })).toEqual([
      { from: 'OPEN', to: 'HALF_OPEN', version: 3 },
      { from: 'HALF_OPEN', to: 'OPEN', version: 4 },
    ]);
  });

  test('paths with one history are spelled out; CLOSED two versions later went through OPEN and HALF_OPEN', () => {
    expect(changesBetween({ state: 'CLOSED', version: 0 }, { state: 'OPEN', version: 1 })).toEqual([{ from: 'CLOSED', to: 'OPEN', version: 1 }]);
    expect(changesBetween({ state: 'OPEN', version: 1 }, { state: 'CLOSED', version: 2 })).toEqual([
      { from: 'OPEN', to: 'HALF_OPEN', version: 1 },
      { from: 'HALF_OPEN', to: 'CLOSED', version: 2 },
    ]);
    expect(changesBetween({ state: 'CLOSED', version: 2 }, { state: 'CLOSED', version: 4 })).toEqual([
      { from: 'CLOSED', to: 'OPEN', version: 3 },
      { from: 'OPEN', to: 'HALF_OPEN', version: 3 },
      { from: 'HALF_OPEN', to: 'CLOSED', version: 4 },
    ]);
    expect(changesBetween({ state: 'HALF_OPEN', version: 5 }, { state: 'HALF_OPEN', version: 6 })).toEqual([
      { from: 'HALF_OPEN', to: 'OPEN', version: 6 },
      { from: 'OPEN', to: 'HALF_OPEN', version: 6 },
    ]);
  });

  test('when several histories fit, one change says how many transitions it stands for', () => {
    // CLOSED v1 -> OPEN v4: re-opened after a failed probe, or closed and opened again.
    expect(changesBetween({ state: 'CLOSED', version: 1 }, { state: 'OPEN', version: 4 })).toEqual([{ from: 'CLOSED', to: 'OPEN', version: 4, transitions: 3 }]);
    expect(format.breaker({ circuit: 'pricing', tableName: 't', from: 'CLOSED', to: 'OPEN', version: 4, transitions: 3 }, Date.UTC(2026, 0, 1))).toBe(
      '00:00:00.000 breaker pricing: CLOSED -> OPEN (version 4, 3 transitions between two reads, not seen one by one)',
    );
  });

  test('no change is no line; a reset item (expired, deleted) is one change', () => {
    expect(changesBetween({ state: 'OPEN', version: 2 }, { state: 'OPEN', version: 2 })).toEqual([]);
    expect(changesBetween({ state: 'OPEN', version: 2 }, { state: 'CLOSED', version: 0 })).toEqual([{ from: 'OPEN', to: 'CLOSED', version: 0 }]);
  });
});

describe('BreakerWatch on a circuit driven by the real breaker', () => {
  let db: LocalDynamo;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(() => db.stop());

  test('open, a failed probe, then recovery: every transition is reported, in order', async () => {
    const table = await db.createBreakerTable();
    const clock = new FakeClock();
    const breaker = instance(db, table, clock).breaker;
    const watch = new BreakerWatch(db.client());
    const changes: BreakerStateChange[] = [];
    watch.on('change', (c) => changes.push(c));
    // What the runner does after each invocation of a function that declares the circuit.
    const fn = { breaker: { tableName: table, circuits: ['payments'] } } as unknown as FunctionSpec;
    const call = async (work: () => Promise<string>) => {
      await outcome(breaker, work);
      watch.touched(fn);
      await watch.settled();
    };

    for (let n = 0; n < 4; n++) await call(fail);
    clock.advance(30_000);
    const probedAt = clock.now();
    await call(fail); // the probe fails: HALF_OPEN and OPEN again within this one call
    clock.advance(60_000);
    await call(succeed);
    await call(succeed); // the second of two probes closes the circuit

    expect(changes.map((c) => `${c.from} -> ${c.to} v${c.version}`)).toEqual([
      'CLOSED -> OPEN v1',
      'OPEN -> HALF_OPEN v1',
      'HALF_OPEN -> OPEN v2',
      'OPEN -> HALF_OPEN v2',
      'HALF_OPEN -> CLOSED v3',
    ]);
    // The re-open carries its new open period (doubled: 60 s); only the change the read ends on has one.
    expect(changes[2].openUntil).toBe(probedAt + 60_000);
    expect(changes[1].openUntil).toBeUndefined();
    watch.close();
  });
});
