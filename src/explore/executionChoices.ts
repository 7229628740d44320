/**
 * Where an execution's RecordingChoices writes its answers: run-length encoded as they come
 * ([kind, value, repeat] runs, the form a trace stores), into one buffer the machine kit keeps
 * for the next execution (`reset`), instead of a ChoiceLog's two arrays grown answer by answer
 * and dropped (~70 answers in ~8 runs per execution of the zoo's stale-handle race).
 *
 * What a campaign reads of it is what it read of a ChoiceLog: the serialized triples of a
 * violating execution (`serialize`, the same triples ChoiceLog.serialize gives for the same
 * answers: equal neighbours, by ===, join one run), and for the coverage-guided strategy a
 * ChoiceLog of its own to keep in the corpus (`toChoiceLog`).
 *
 *   runs: | kind | value | repeat | kind | value | repeat | ... |   (3 numbers per run, `used` in use)
 */
import { ChoiceLog, flattenRuns, type ChoiceSink, type FlatChoiceRuns, type SerializedChoices } from '../actors/sim/choiceLog.js';

/** Runs the buffer starts with; one a long execution grew past this many is dropped at the next reset. */
const RUNS_KEPT = 256;

export class ExecutionChoiceLog implements ChoiceSink {
  private runs = new Float64Array(3 * RUNS_KEPT);
  /** Numbers of `runs` in use (3 per run). */
  private used = 0;

  /** Empty, as a new one (the buffer stays unless a long execution grew it: memory stays bounded). */
  reset(): this {
    if (this.runs.length > 3 * RUNS_KEPT) this.runs = new Float64Array(3 * RUNS_KEPT);
    this.used = 0;
    return this;
  }

  addCode(code: number, value: number): void {
    const n = this.used;
    const runs = this.runs;
    if (n !== 0 && runs[n - 2] === value && runs[n - 3] === code) {
      runs[n - 1]!++;
      return;
    }
    if (n + 3 > runs.length) this.grow();
    const to = this.runs;
    to[n] = code;
    to[n + 1] = value;
    to[n + 2] = 1;
    this.used = n + 3;
  }

  /** The recorded answers as [kind, value, repeat] triples. */
  serialize(): SerializedChoices {
    const out: SerializedChoices = [];
    const runs = this.runs;
    for (let i = 0; i < this.used; i += 3) out.push([runs[i]!, runs[i + 1]!, runs[i + 2]!]);
    return out;
  }

  /** The recorded answers as a ChoiceLog of their own (one entry per answer). */
  toChoiceLog(): ChoiceLog {
    const log = new ChoiceLog();
    const runs = this.runs;
    for (let i = 0; i < this.used; i += 3) {
      for (let k = 0; k < runs[i + 2]!; k++) log.addCode(runs[i]!, runs[i + 1]!);
    }
    return log;
  }

  /** The runs since the last drain, flat, in a buffer of their own; the log is emptied. */
  drainRuns(): FlatChoiceRuns {
    const out = flattenRuns(this.serialize());
    this.reset();
    return out;
  }

  private grow(): void {
    const bigger = new Float64Array(2 * this.runs.length);
    bigger.set(this.runs);
    this.runs = bigger;
  }
}
