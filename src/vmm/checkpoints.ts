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
  /** A new list per run (reset): a finished run's result keeps its own. */
  checkpoints: string[] = [];
  /** The run's counts, kept at the source (records.ts); a new one per run (reset). */
  counter = new Counter();
  /**
   * Records to go before the next checkpoint: a countdown, so a record costs a decrement and a
   * test for zero rather than a division (`records % CHECKPOINT_RECORDS`, the same checkpoints).
   */
  private untilCheckpoint = CHECKPOINT_RECORDS;

  /** Ready for the next run: no records, no checkpoints, no counts (a campaign keeps one recorder, see explore/machineKit.ts). */
  reset(): this {
    this.hasher.reset();
    this.checkpoints = [];
    this.counter = new Counter();
    this.untilCheckpoint = CHECKPOINT_RECORDS;
    return this;
  }

  /** The core made a record whose words are in `hasher.w` from `hasher.at` to `end` (see records.ts). */
  feed(end: number): void {
    this.hasher.feed(end);
    if (--this.untilCheckpoint === 0) this.checkpoint();
  }

  /** Out of line: one record in CHECKPOINT_RECORDS takes this path. */
  private checkpoint(): void {
    this.untilCheckpoint = CHECKPOINT_RECORDS;
    this.checkpoints.push(this.hasher.hex());
  }
}

/** Index of the first checkpoint that differs, or -1 when all the shorter list agrees. */
export function firstDifferentCheckpoint(expected: readonly string[], actual: readonly string[]): number {
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) if (expected[i] !== actual[i]) return i;
  return expected.length === actual.length ? -1 : n;
}
