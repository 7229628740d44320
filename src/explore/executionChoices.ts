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
 *
 * On a thread whose executions are watched (executionBoard.ts), the buffer is the board's runs,
 * so a watcher finds the answers there if the thread hangs; an execution that outgrows the board
 * goes on in a buffer of its own, and the board, full, says so.
 */
import { ChoiceLog, ChoiceRuns, type SerializedChoices } from '../actors/sim/choiceLog.js';
import { executionBoard } from './executionBoard.js';

/** Runs the buffer starts with; one a long execution grew past this many is dropped at the next reset. */
const RUNS_KEPT = 256;

/** ChoiceRuns (the same encoding as the threaded VMM's log) whose buffer stays for the next execution. */
export class ExecutionChoiceLog extends ChoiceRuns {
  constructor() {
    super(RUNS_KEPT);
  }

  /** Empty, as a new one (the buffer stays unless a long execution grew it: memory stays bounded). */
  reset(): this {
    const board = executionBoard.runs;
    if (board !== null) {
      // Emptied where the last execution wrote (all of it after one that outgrew it, or after
      // another log's or thread's): a repeat of 0 ends the runs a watcher reads.
      board.fill(0, 0, this.runs === board && executionBoard.owner === this ? this.used : board.length);
      executionBoard.owner = this;
      this.runs = board;
    } else if (this.runs.length > 3 * this.initialRuns) this.runs = new Float64Array(3 * this.initialRuns);
    this.used = 0;
    return this;
  }

  /** Whether its answers go to this thread's execution board. */
  get onBoard(): boolean {
    return this.runs === executionBoard.runs;
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
}
