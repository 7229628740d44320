/**
 * What the core keeps of its record stream as it makes each record (records.ts): the trace hash,
 * its checkpoints (the running hash every CHECKPOINT_RECORDS records, so a replay that drifts can
 * say where it first left the recorded run), and the run's counters.
 */
import { CHECKPOINT_RECORDS } from '../shared/checkpoint.js';
import { TraceHasher } from './traceHash.js';
import { Counter } from './counters.js';

export class CheckpointRecorder {
  readonly hasher = new TraceHasher();
  readonly checkpoints: string[] = [];
  readonly counter = new Counter();

  /** The core made a record whose words are in `hasher.w` from `hasher.at` to `end` (see records.ts). */
  feed(end: number): void {
    this.hasher.feed(end);
    if (this.hasher.records % CHECKPOINT_RECORDS === 0) this.checkpoints.push(this.hasher.hex());
  }
}

/** Index of the first checkpoint that differs, or -1 when all the shorter list agrees. */
export function firstDifferentCheckpoint(expected: readonly string[], actual: readonly string[]): number {
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) if (expected[i] !== actual[i]) return i;
  return expected.length === actual.length ? -1 : n;
}
