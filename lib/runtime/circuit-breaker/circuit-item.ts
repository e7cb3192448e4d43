import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BREAKER_CONTROL_ATTRIBUTE, BREAKER_CONTROLS } from '../../contract';
import type { CircuitState } from './circuit-state';
import { BUCKETS_PER_WINDOW } from './options';

/*
 * One DynamoDB item per circuit (partition key `pk` = circuit name), flat attributes only:
 *   st, ver        state and version; ver is bumped by every open and close, and every transition is
 *                  conditional on it, so exactly one writer wins and a stale CLOSED can never overwrite OPEN
 *   ou, oc         open-until (epoch ms) and consecutive opens (drives the backoff)
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

/** One probe permit of the half-open budget. */
export interface ProbeSlot {
  readonly leaseUntil: number | undefined;
  readonly owner: string | undefined;
  readonly done: boolean;
}

/** One time-bucketed counter attribute. */
export interface BucketCounter {
  readonly attribute: string;
  readonly kind: 's' | 'f' | 'slow';
  readonly version: number;
  readonly bucket: number;
  readonly count: number;
}

/** The circuit as last read from (or written to) the store. */
export interface CircuitView {
  readonly state: CircuitState;
  readonly version: number;
  readonly openUntil: number;
  readonly openCount: number;
  readonly slots: readonly ProbeSlot[];
  readonly counters: readonly BucketCounter[];
  /** An operator's override (see BREAKER_CONTROLS), if any. */
  readonly control: CircuitControl | undefined;
  /** Token of the write that last opened the circuit. */
  readonly openedBy: string | undefined;
  /** Flush marks (attribute m_<instance>) and the time of each one's last marked flush. */
  readonly marks: ReadonlyArray<{ readonly attribute: string; readonly at: number }>;
}

/** An operator's override of a circuit. */
export type CircuitControl = typeof BREAKER_CONTROLS[number];

/** Fleet-wide outcome counts of the current version inside the window. */
export interface WindowCounts {
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
}

const COUNTER = /^(s|f|slow)_(\d+)_(\d+)$/;
const MARK = /^m_\w+$/;

/** The attribute of an instance's flush mark. */
export const markAttribute = (instance: string): string => `m_${instance}`;

/** The view of a circuit whose item does not exist yet. */
export function initialView(probes: number): CircuitView {
  return parseItem(undefined, probes);
}

export function parseItem(item: Record<string, AttributeValue> | undefined, probes: number): CircuitView {
  const n = (key: string): number | undefined => (item?.[key]?.N === undefined ? undefined : Number(item[key].N));
  const st = item?.st?.S;
  const slots: ProbeSlot[] = [];
  for (let i = 0; i < probes; i++) {
    slots.push({ leaseUntil: n(`lx${i}`), owner: item?.[`lo${i}`]?.S, done: item?.[`ld${i}`] !== undefined });
  }
  const counters: BucketCounter[] = [];
  const marks: Array<{ attribute: string; at: number }> = [];
  for (const attribute of Object.keys(item ?? {})) {
    if (MARK.test(attribute)) marks.push({ attribute, at: n(attribute) ?? 0 });
    const match = COUNTER.exec(attribute);
    if (match) {
      counters.push({
        attribute, kind: match[1] as BucketCounter['kind'], version: Number(match[2]),
        bucket: Number(match[3]), count: n(attribute) ?? 0,
      });
    }
  }
  return {
    state: st === 'OPEN' || st === 'HALF_OPEN' ? st : 'CLOSED',
    version: n('ver') ?? 0,
    openUntil: n('ou') ?? 0,
    openCount: n('oc') ?? 0,
    slots,
    counters,
    control: BREAKER_CONTROLS.find((c) => c === item?.[BREAKER_CONTROL_ATTRIBUTE]?.S),
    openedBy: item?.by?.S,
    marks,
  };
}

/**
 * Counters removed by one write at most: keeps every update expression far below DynamoDB's 4 KB limit
 * whatever piled up (the rest goes with the next writes); a flush adds at most 30 counters.
 */
const MAX_REMOVALS_PER_WRITE = 24;

export function bucketOf(now: number, bucketMs: number): number {
  return Math.floor(now / bucketMs);
}

/**
 * Fleet-wide counts of the current version inside the window. With `settledBefore`, only buckets that
 * ended at or before that time: every instance has flushed them by then (each flushes at least every
 * flushMs while it has traffic), so they hold the whole fleet's calls, not just the first flushes to arrive.
 */
export function windowCounts(view: CircuitView, now: number, bucketMs: number, settledBefore = Infinity): WindowCounts {
  const oldest = bucketOf(now, bucketMs) - BUCKETS_PER_WINDOW;
  let calls = 0;
  let failures = 0;
  let slow = 0;
  for (const c of view.counters) {
    if (c.version !== view.version || c.bucket <= oldest || (c.bucket + 1) * bucketMs > settledBefore) continue;
    if (c.kind === 'slow') slow += c.count;
    else {
      calls += c.count;
      if (c.kind === 'f') failures += c.count;
    }
  }
  return { calls, failures, slow };
}

/**
 * Attributes the next flush REMOVEs (a bounded number per write) so the item stays small: counters that left
 * the window or belong to an older version, and marks older than two windows (a flush in doubt is sent
 * again only while its buckets are inside the window, so no retry can need them).
 */
export function expiredAttributes(view: CircuitView, now: number, bucketMs: number): string[] {
  const oldest = bucketOf(now, bucketMs) - BUCKETS_PER_WINDOW;
  const marksBefore = now - 2 * BUCKETS_PER_WINDOW * bucketMs;
  return [
    ...view.counters.filter((c) => c.bucket <= oldest || c.version < view.version).map((c) => c.attribute),
    ...view.marks.filter((m) => m.at < marksBefore).map((m) => m.attribute),
  ].slice(0, MAX_REMOVALS_PER_WRITE);
}

/**
 * Clock skew between instances that a lease tolerates: a lease written by one instance's clock is reclaimed
 * only this long after it ends by another's, so clocks up to ±1 s off true time (2 s apart) cannot admit a
 * second probe while the first still runs (Lambda's clocks are NTP-synced to well under this).
 */
export const LEASE_SKEW_MS = 2_000;

/** Slots a probe may take: never succeeded, and never leased or whose lease has expired (skew allowed). */
export function freeSlots(view: CircuitView, now: number): number[] {
  const free: number[] = [];
  view.slots.forEach((slot, i) => {
    if (!slot.done && (slot.leaseUntil === undefined || slot.leaseUntil + LEASE_SKEW_MS < now)) free.push(i);
  });
  return free;
}

/** Earliest time a currently leased slot becomes reclaimable. */
export function nextLeaseExpiry(view: CircuitView): number {
  let earliest = Infinity;
  for (const slot of view.slots) {
    if (!slot.done && slot.leaseUntil !== undefined) earliest = Math.min(earliest, slot.leaseUntil + LEASE_SKEW_MS + 1);
  }
  return earliest;
}
