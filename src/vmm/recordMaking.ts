/**
 * What every record maker shares (records.ts says how a record is made): the machine a record
 * notes, and the three words every record starts with in the trace hash's ring.
 */
import type { CheckpointRecorder } from './checkpoints.js';
import type { HistoryRecord } from './history.js';
import type { RecordRing } from './recordRing.js';
import type { CpuContext } from './history.js';
import { head } from './traceHash.js';

/** What a record notes of the machine: where the CPU is, where records go, the trace hash. */
export interface RecordingMachine {
  seq: number;
  readonly ticks: number;
  readonly current: { readonly id: number };
  readonly ctx: CpuContext;
  readonly reenter: number;
  /** Where records go (recordStream.ts): one method call on one class of receiver. */
  readonly sink: { read(record: HistoryRecord, kind: number): void };
  /** The objects records are made in (the tail a report shows). */
  readonly records: RecordRing;
  readonly trace: CheckpointRecorder;
}

export type M = RecordingMachine;
/** A device as the records name it: its name, and that name's word (stringWord), computed once per device. */
export interface NamedDevice {
  readonly name: string;
  readonly nameWord: number;
}
export type Phase = 'enter' | 'exit';

/**
 * Writes the three words every record starts with (its seq is its place in the stream: not
 * hashed) where the record's words go in the hasher's ring; returns that place, `o`: the kind's
 * own words follow at o + 3, and `trace.feed` takes where they end.
 */
export function begin(m: M, kind: number): number {
  const hasher = m.trace.hasher;
  const o = hasher.at;
  head(hasher.w, o, m.ticks, m.current.id, m.reenter, m.ctx, kind);
  return o;
}

/** Writes a string's word at w[at]. */
export function str(m: M, at: number, value: string): void {
  m.trace.hasher.str(at, value);
}
