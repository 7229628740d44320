/**
 * Every history record kind as a small integer. The core hands each record to its sink with its
 * kind number beside it (records.ts knows it statically), so the consumers that read every record
 * (the checker, the counters) switch on an integer instead of first loading `record.k`: records
 * of ~30 shapes make that load megamorphic, the most expensive read a consumer did per record.
 * Records made elsewhere (tests, a stream read back) get their number from `kindOf`.
 */
import type { HistoryKind, HistoryRecord } from './history.js';

/** The kinds, numbered by their place here (the numbers are internal: never hashed or stored). */
export const KIND_NAMES = [
  'clientOp', 'service', 'serviceResult', 'calledNow', 'scheduled', 'dispatch', 'return', 'cancel', 'discarded',
  'irqRaise', 'irqEnter', 'irqExit', 'eoi', 'virtInt', 'processBegin', 'processEnd', 'taskSwitch', 'boost',
  'critical', 'vmLifecycle', 'violation', 'trapReturn', 'nestedExec', 'vpicdProc', 'virtRequest', 'virtMask',
  'virtEoi', 'virtIret', 'control', 'blockedCallback', 'physMask',
] as const satisfies readonly HistoryKind[];

/** Kind name → its number; frozen, so the optimizing compiler folds `KIND.x` to a constant. */
export const KIND: Readonly<Record<HistoryKind, number>> = Object.freeze(
  Object.fromEntries(KIND_NAMES.map((name, i) => [name, i])) as Record<HistoryKind, number>,
);

/** A record's kind number, read from the record (for records that come without one). */
export function kindOf(record: HistoryRecord): number {
  return KIND[record.k];
}

/** Where the core sends each record: the record (the core's, valid during the call: recordRing.ts) and its kind's number. */
export type RecordSink = (record: HistoryRecord, kind: number) => void;
