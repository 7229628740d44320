/**
 * What the execution a thread runs now is, in shared memory: after the watchdog has ended a
 * thread stuck in device code (a loop that calls no service), the explorer's memory of that
 * execution is gone with the thread, and this is what is left to re-run it into a trace
 * (hungExecution.ts). The choices are written where the execution's choice log writes them
 * anyway (ExecutionChoiceLog over the board's runs), so a watched execution costs one header
 * of five stores and the zeroing of the runs it used, not a store per answer.
 *
 *   Float64Array over a SharedArrayBuffer, BOARD_WORDS numbers:
 *   [0] state       0: nothing to re-run; 1: an execution runs, described below
 *   [1] iteration
 *   [2] member      index in BOARD_MEMBERS (pct, pos, random, guided, dfs)
 *   [3] workload    the seed of its client workload
 *   [4] strategy    its strategy seed
 *   [5 ..]          its choice runs so far, [kind, value, repeat] each (BOARD_RUNS of them);
 *                   a repeat of 0 ends them, and runs filling the board mean it outgrew it
 *
 * Plain stores, not Atomics: the watcher reads the board only after the thread has not moved for
 * seconds (the watchdog's bound), and an aligned 8-byte store is never torn on the platforms
 * Node runs on.
 */
import { runFaultOf } from '../actors/runFault.js';
import { ChoiceLog, type SerializedChoices } from '../actors/sim/choiceLog.js';
import { PORTFOLIO, type MemberName, type StrategyName } from './spec.js';

const HEADER_WORDS = 5;
/** Choice runs a board holds: an execution of the zoo's races uses ~8; one that uses more is not re-run. */
export const BOARD_RUNS = 2048;
export const BOARD_WORDS = HEADER_WORDS + 3 * BOARD_RUNS;
export const BOARD_BYTES = BOARD_WORDS * Float64Array.BYTES_PER_ELEMENT;

/** What an execution can run under: a portfolio member, or one execution of a dfs search. */
export const BOARD_MEMBERS: readonly (MemberName | 'dfs')[] = [...PORTFOLIO, 'dfs'];

/** The execution a board described when its thread hung. */
export interface HungExecution {
  iteration: number;
  member: MemberName | 'dfs';
  workloadSeed: number;
  strategySeed: number;
  /** Its answers up to the hang; null when they outgrew the board. */
  choices: SerializedChoices | null;
}

export function executionBoardBuffer(boards = 1): SharedArrayBuffer {
  return new SharedArrayBuffer(boards * BOARD_BYTES);
}

/** The board a thread writes (one per thread: a thread runs one execution at a time). */
export class ExecutionBoard {
  private words: Float64Array | null = null;
  private buffer: SharedArrayBuffer | null = null;
  private index = 0;
  /** The runs part of the board: where the thread's execution choice log writes. */
  runs: Float64Array | null = null;
  /** The choice log that wrote the runs last: another one empties all of them before it writes. */
  owner: object | null = null;

  /** Where this thread's watcher reads (board `index` of the buffer). */
  attach(buffer: SharedArrayBuffer, index = 0): void {
    this.buffer = buffer;
    this.index = index;
    this.words = new Float64Array(buffer, index * BOARD_BYTES, BOARD_WORDS);
    this.runs = this.words.subarray(HEADER_WORDS);
    this.owner = null;
  }

  /** An execution starts (its choice log, emptied, writes into `runs`). */
  begin(iteration: number, member: StrategyName, workloadSeed: number, strategySeed: number): void {
    const words = this.words;
    if (words === null) return;
    words[1] = iteration;
    // -1 for a name no execution runs under (the portfolio): the board then describes nothing.
    words[2] = (BOARD_MEMBERS as readonly string[]).indexOf(member);
    words[3] = workloadSeed;
    words[4] = strategySeed;
    words[0] = 1;
  }

  /** The execution ended: nothing here to re-run. */
  end(): void {
    if (this.words !== null) this.words[0] = 0;
  }

  /**
   * The execution ended on `error` (null: it ended): as end(), unless device code ran away (the
   * service-call budget). Then the board keeps the execution, for the command to re-run it into a
   * trace as after a hang: the budget counts calls, so the re-run runs away at the same call.
   */
  endOn(error: unknown): void {
    if (error === null || runFaultOf(error)?.kind !== 'runaway') this.end();
  }

  /** The execution this board keeps (one that ran away: endOn), read on the thread that wrote it. */
  kept(): HungExecution | null {
    return this.buffer === null ? null : readBoard(this.buffer, this.index);
  }
}

/** This thread's board (attached by a watched command's worker or a pool thread; unattached: nothing is written). */
export const executionBoard = new ExecutionBoard();

/** What board `index` of `buffer` says, read by a watcher once the thread writing it hung; null: no execution ran. */
export function readBoard(buffer: SharedArrayBuffer, index = 0): HungExecution | null {
  const words = new Float64Array(buffer, index * BOARD_BYTES, HEADER_WORDS);
  const member = BOARD_MEMBERS[words[2]!];
  if (words[0] !== 1 || member === undefined) return null;
  return { iteration: words[1]!, member, workloadSeed: words[3]!, strategySeed: words[4]!, choices: boardChoices(buffer, index) };
}

/** The answers on board `index` (those of the execution that runs, or of the last one until the next begins); null when they outgrew it. */
export function boardChoices(buffer: SharedArrayBuffer, index = 0): SerializedChoices | null {
  const runs = new Float64Array(buffer, index * BOARD_BYTES + HEADER_WORDS * Float64Array.BYTES_PER_ELEMENT, 3 * BOARD_RUNS);
  const choices: SerializedChoices = [];
  for (let at = 0; at < runs.length; at += 3) {
    if (runs[at + 2] === 0) return choices;
    choices.push([runs[at]!, runs[at + 1]!, runs[at + 2]!]);
  }
  return null;
}

/**
 * A dfs search's choice log (one per search, kept across its executions), mirrored on the
 * thread's board: as it grows, and as the search cuts it back to the boundary it resumes from
 * (a restored snapshot: the answers before it stay). The board's runs join equal answers, as an
 * execution's log writes them; `runEnds[r]` is the count of answers up to the end of run r.
 */
export class BoardChoiceLog extends ChoiceLog {
  private readonly runEnds: number[] = [];
  /** Answers past the board's last run are not on it (it is full). */
  private outgrown = false;

  override addCode(code: number, value: number): void {
    super.addCode(code, value);
    const runs = executionBoard.runs;
    if (runs === null || this.outgrown) return;
    if (executionBoard.owner !== this) this.claim(runs);
    const ends = this.runEnds;
    const r = ends.length;
    if (r > 0 && runs[3 * r - 3] === code && runs[3 * r - 2] === value) {
      runs[3 * r - 1]!++;
      ends[r - 1]!++;
      return;
    }
    if (3 * r >= runs.length) {
      this.outgrown = true;
      return;
    }
    runs[3 * r] = code;
    runs[3 * r + 1] = value;
    runs[3 * r + 2] = 1;
    ends.push(this.length);
    if (3 * r + 5 < runs.length) runs[3 * r + 5] = 0;
  }

  /** Keeps the first `length` answers (a search resuming at a boundary; 0: a new execution from the start). */
  truncate(length: number): void {
    this.kinds.length = length;
    this.values.length = length;
    const runs = executionBoard.runs;
    if (runs === null) return;
    if (executionBoard.owner !== this) this.claim(runs);
    const ends = this.runEnds;
    let r = ends.length;
    while (r > 0 && ends[r - 1]! > length) r--;
    const kept = r === 0 ? 0 : ends[r - 1]!;
    if (kept < length && r < ends.length) {
      // The run holding the last answer kept, cut there.
      runs[3 * r + 2] = length - kept;
      ends[r] = length;
      r++;
    }
    ends.length = r;
    this.outgrown = length > (r === 0 ? 0 : ends[r - 1]!);
    if (3 * r + 2 < runs.length) runs[3 * r + 2] = 0;
  }

  /** The board held another log's runs: emptied, and this log's answers so far written again. */
  private claim(runs: Float64Array): void {
    executionBoard.owner = this;
    runs.fill(0);
    this.runEnds.length = 0;
    this.outgrown = false;
    const kinds = this.kinds.splice(0);
    const values = this.values.splice(0);
    for (let i = 0; i < kinds.length; i++) this.addCode(kinds[i]!, values[i]!);
  }
}
