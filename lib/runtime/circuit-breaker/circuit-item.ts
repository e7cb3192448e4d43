import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BREAKER_CONTROL_ATTRIBUTE, BREAKER_CONTROLS } from '../../contract';
import type { CircuitState } from './circuit-state';
import { BUCKETS_PER_WINDOW } from './options';

/*
 * One DynamoDB item per circuit (partition key `pk` = circuit name), flat attributes only:
 *   st, ver        state and version; ver is bumped by every open and close, and every transition is
 *                  conditional on it, so exactly one writer wins and a stale CLOSED can never overwrite OPEN
 *   ou, oc         open-until (epoch ms) and consecutive opens (drives the backoff)
 *   ts             time of the last transition
 *   by             token of the write that last opened the circuit (its writer may not have seen the reply)
 *   lx<i> lo<i> ld<i>  probe slot i of the half-open budget: lease expiry, lease owner, done (succeeded)
 *   ctl           an operator's override: force-open, force-closed or disabled (see BREAKER_CONTROLS)
 *   s_<ver>_<bucket>, f_<ver>_<bucket>, slow_<ver>_<bucket>
 *                  success / failure / slow counters of one time bucket, written with ADD. The version in
 *                  the name keeps counts flushed late by an instance that missed a transition out of the
 *                  window of the new epoch, without losing them.
 *   m_<instance>   flush mark of an instance whose writes lately lost their replies: the time of its last
 *                  applied marked flush, so the same flush sent again is not counted twice (see FlushMark)
 */

/** The states, as stored in `st` (constants: the bundle then names each once). */
export const CLOSED = 'CLOSED';
export const OPEN = 'OPEN';
export const HALF_OPEN = 'HALF_OPEN';

/** An operator's override of a circuit. */
export type CircuitControl = typeof BREAKER_CONTROLS[number];

/**
 * The circuit as last read from (or written to) the store: the item's attributes under their own names
 * (the layout above), numbers as numbers. A missing item reads as a new CLOSED circuit at version 0.
 */
export interface CircuitView {
  readonly st: CircuitState;
  readonly ver: number;
  readonly ou: number;
  readonly oc: number;
  readonly by?: string;
  readonly [BREAKER_CONTROL_ATTRIBUTE]?: CircuitControl;
  readonly [attribute: string]: string | number | undefined;
}

const COUNTER = /^(s|f|slow)_(\d+)_(\d+)$/;
const MARK = /^m_\w+$/;

export function parseItem(item: Record<string, AttributeValue> = {}): CircuitView {
  const view: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(item)) view[attribute] = value.N === undefined ? value.S ?? true : Number(value.N);
  if (view.st !== OPEN && view.st !== HALF_OPEN) view.st = CLOSED;
  for (const number of ['ver', 'ou', 'oc']) if (typeof view[number] !== 'number') view[number] = 0;
  view[BREAKER_CONTROL_ATTRIBUTE] = BREAKER_CONTROLS.find((c) => c === view[BREAKER_CONTROL_ATTRIBUTE]);
  return view as unknown as CircuitView;
}

export const bucketOf = (now: number, bucketMs: number): number => Math.floor(now / bucketMs);

/** The item's counters: [attribute, kind, version, bucket]. */
function counters(view: CircuitView): Array<[string, string, number, number]> {
  const found: Array<[string, string, number, number]> = [];
  for (const attribute in view) {
    const match = COUNTER.exec(attribute);
    if (match) found.push([attribute, match[1], Number(match[2]), Number(match[3])]);
  }
  return found;
}

/**
 * Fleet-wide [calls, failures, slow calls] of the current version inside the window. With `settledBefore`, only
 * buckets that ended at or before that time: every instance has flushed them by then (each flushes at least every
 * flushMs while it has traffic), so they hold the whole fleet's calls, not just the first flushes to arrive.
 */
export function windowCounts(view: CircuitView, now: number, bucketMs: number, settledBefore = Infinity): [number, number, number] {
  const oldest = bucketOf(now, bucketMs) - BUCKETS_PER_WINDOW;
  const counts = { s: 0, f: 0, slow: 0 } as Record<string, number>;
  for (const [attribute, kind, version, bucket] of counters(view)) {
    if (version === view.ver && bucket > oldest && (bucket + 1) * bucketMs <= settledBefore) counts[kind] += view[attribute] as number;
  }
  return [counts.s + counts.f, counts.f, counts.slow];
}

/**
 * Counters removed by one write at most: keeps every update expression far below DynamoDB's 4 KB limit
 * whatever piled up (the rest goes with the next writes); a flush adds at most 30 counters.
 */
const MAX_REMOVALS_PER_WRITE = 24;

/**
 * Attributes the next flush REMOVEs (a bounded number per write) so the item stays small: counters that left
 * the window or belong to an older version, and marks older than two windows (a flush in doubt is sent
 * again only while its buckets are inside the window, so no retry can need them).
 */
export function expiredAttributes(view: CircuitView, now: number, bucketMs: number): string[] {
  const oldest = bucketOf(now, bucketMs) - BUCKETS_PER_WINDOW;
  const marksBefore = now - 2 * BUCKETS_PER_WINDOW * bucketMs;
  return [
    ...counters(view).filter(([, , version, bucket]) => bucket <= oldest || version < view.ver).map(([attribute]) => attribute),
    ...Object.keys(view).filter((a) => MARK.test(a) && (view[a] as number) < marksBefore),
  ].slice(0, MAX_REMOVALS_PER_WRITE);
}

/**
 * Clock skew between instances that a lease tolerates: a lease written by one instance's clock is reclaimed
 * only this long after it ends by another's, so clocks up to ±1 s off true time (2 s apart) cannot admit a
 * second probe while the first still runs (Lambda's clocks are NTP-synced to well under this).
 */
export const LEASE_SKEW_MS = 2_000;

/** Probe slot `i`'s state: [lease expiry (skew allowance included), succeeded]. */
const slot = (view: CircuitView, i: number): [number, boolean] => [(view[`lx${i}`] as number ?? -Infinity) + LEASE_SKEW_MS, view[`ld${i}`] !== undefined];
const slotIndexes = (probes: number): number[] => [...Array(probes).keys()];

/** Every probe of the half-open budget succeeded. */
export const allProbesDone = (view: CircuitView, probes: number): boolean => slotIndexes(probes).every((i) => slot(view, i)[1]);

/** Slots a probe may take: never succeeded, and never leased or whose lease has expired (skew allowed). */
export function freeSlots(view: CircuitView, now: number, probes: number): number[] {
  return slotIndexes(probes).filter((i) => !slot(view, i)[1] && slot(view, i)[0] < now);
}

/** Earliest time a currently leased slot becomes reclaimable. */
export function nextLeaseExpiry(view: CircuitView, probes: number): number {
  const leased = slotIndexes(probes).map((i) => slot(view, i)).filter(([expiry, done]) => !done && expiry > -Infinity);
  return Math.min(...leased.map(([expiry]) => expiry + 1));
}
