/**
 * Checkpoints of the decision log: the running trace hash every CHECKPOINT_RECORDS records, so a
 * replay that drifts can say where it first left the recorded run.
 */
import { CHECKPOINT_RECORDS } from '../shared/checkpoint.js';
import { TraceHasher } from './traceHash.js';

export class CheckpointRecorder {
  readonly hasher = new TraceHasher();
  readonly checkpoints: string[] = [];

  /** The core made a record whose `count` words are in `hasher.w` (see records.ts). */
  feed(count: number): void {
    this.hasher.feed(count);
    if (this.hasher.records % CHECKPOINT_RECORDS === 0) this.checkpoints.push(this.hasher.hex());
  }
}

/** Index of the first checkpoint that differs, or -1 when all the shorter list agrees. */
export function firstDifferentCheckpoint(expected: readonly string[], actual: readonly string[]): number {
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) if (expected[i] !== actual[i]) return i;
  return expected.length === actual.length ? -1 : n;
}
