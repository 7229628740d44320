/**
 * Stateful bounded exhaustive search: dfs that remembers the states it explored and forks
 * instead of re-running.
 *
 * - **Pruning** (as SPIN and TLC do): at every client-step boundary of an execution past the
 *   frontier (see DfsTree.beyondFrontier), the machine's digest (`machine.ts`) is looked up. If
 *   the state was already reached with at least the same budget left (IRQs and preemptions;
 *   the step count is part of the state), everything below it has been explored, and the
 *   execution ends there. dfs finishes a state's subtree before it meets the state again
 *   elsewhere (virtual time grows with every step, so a state never recurs below itself), so a
 *   pruned subtree is always one already searched: "exhausted" stays exact.
 * - **Forking**: snapshots of the whole run (`fork.ts`) are kept at step boundaries of the
 *   current path (every `snapshotEverySteps`); to take the next branch, the search restores the
 *   last snapshot before the branching point and runs from there, instead of re-executing the
 *   prefix from step 0. The snapshots hold the choice log, the coverage tracker and the budget too, so an
 *   execution's summary (trace, windows, IRQs) is the same as its re-executed twin's.
 *
 * Only between steps: a state in the middle of a step has ring-0 device code on the JavaScript
 * stack, which no snapshot holds; so the search forks at the boundary before the branching
 * point and replays the few choices inside that one step.
 */
import { RecordingChoices } from '../actors/sim/choiceLog.js';
import { BoardChoiceLog, executionBoard } from '../explore/executionBoard.js';
import { RunLoop, type SimRunResult } from '../actors/runLoop.js';
import { DfsChoices, DfsTree } from '../actors/sim/strategies/dfs.js';
import type { Scenario } from '../scenario/scenario.js';
import { CoverageTracker } from '../explore/coverage.js';
import { stoppingViolation, summarizeViolation, warningSummaries } from '../explore/execution.js';
import { thrownFault, thrownSummary } from '../explore/thrown.js';
import { runFaultOf } from '../actors/runFault.js';
import type { CampaignSpec, ExecutionSummary } from '../explore/spec.js';
import { restoreRun, saveRun, type SavedRun } from './fork.js';
import { runLoopDigest } from './machine.js';
import { opaqueDeviceState } from './opaqueState.js';
import { readingDeviceStates } from './readingStates.js';

export interface StateCounts {
  /** Different states met at step boundaries. */
  distinct: number;
  /** Times a state already met was met again. */
  revisited: number;
  /** Executions ended at a state already explored with at least the same budget. */
  pruned: number;
  /**
   * Why states stopped being compared and saved (opaqueState.ts), and from which execution on:
   * the search went on stateless. Absent while every state was plain data.
   */
  statelessFrom?: { execution: number; why: string };
}

export interface StatefulOptions {
  /** Prune states already explored (default on). */
  prune: boolean;
  /** Resume from snapshots instead of re-executing prefixes (default on). */
  fork: boolean;
  /**
   * A snapshot every this many step boundaries (default 8): a snapshot costs about as much as
   * ten client steps, so a branch resumes from the last one before it and re-runs the few steps
   * in between rather than paying for a snapshot at every boundary.
   */
  snapshotEverySteps?: number;
}

export const DEFAULT_SNAPSHOT_EVERY_STEPS = 8;

/** States remembered at most: past it, new states are no longer recorded (memory stays bounded). */
export const STATES_MAX = 2_000_000;

interface Budget {
  irqs: number;
  preemptions: number;
}

interface Boundary {
  steps: number;
  /** Branching points passed before this boundary. */
  depth: number;
  saved: SavedRun;
  logLength: number;
  budget: { irqsTaken: number; preemptions: number };
}

/**
 * One read of the machine's state (a digest or a snapshot) slower than this is worth a warning:
 * stateful dfs reads it at every step boundary, and a device that keeps a large buffer as a
 * JavaScript array (2,000,000 elements: 30 s an execution, against 0.06 s stateless, in an
 * outside audit) pays that at each, with nothing saying why the search crawls.
 */
const SLOW_STATE_READ_MS = 50;
/** Slow reads before the warning: one could be a collection that paused the thread, three are the state. */
const SLOW_READS_TO_WARN = 3;
let slowReads = 0;

/** `read`, timed until reads are slow; then one line on stderr, once per thread (the search is unchanged). */
function warnIfSlow<T>(what: string, read: () => T): T {
  if (slowReads >= SLOW_READS_TO_WARN) return read();
  const startedMs = performance.now();
  const value = read();
  const tookMs = performance.now() - startedMs;
  if (tookMs > SLOW_STATE_READ_MS && ++slowReads === SLOW_READS_TO_WARN) {
    process.stderr.write(`vmmsim explore: warning: stateful dfs reads the machine's state at every step boundary, and ${what} it took ${Math.round(tookMs)} ms ` +
      '(a large device state?); --stateless re-runs each execution from step 0 instead, which is faster for states this large\n');
  }
  return value;
}

/** The dfs campaign loop's engine: one execution per call of `execute`, the tree advanced by the caller. */
export class StatefulDfs {
  readonly tree = new DfsTree();
  readonly states: StateCounts = { distinct: 0, revisited: 0, pruned: 0 };
  /** What the search did, for measuring it: client steps run, snapshots taken and restored. */
  readonly work = { steps: 0, snapshots: 0, restores: 0 };
  private readonly visited = new Map<string, Budget[]>();
  private readonly choices: DfsChoices;
  private readonly recording: RecordingChoices<BoardChoiceLog>;
  private coverage: CoverageTracker;
  private loop: RunLoop | null = null;
  private boundaries: Boundary[] = [];
  /** Set when the run was just restored at a boundary already taken. */
  private resumed = false;
  /** The execution running (its campaign number), for `states.statelessFrom`. */
  private iteration = 0;

  constructor(private readonly scenario: Scenario, private readonly spec: CampaignSpec, private options: StatefulOptions) {
    this.choices = new DfsChoices(this.tree, { preemptionBound: spec.params.preemptionBound, irqBound: spec.params.irqBudget });
    // Mirrored on the thread's execution board: a hung execution is re-run into a trace (explore/executionBoard.ts).
    this.recording = new RecordingChoices(this.choices, new BoardChoiceLog());
    this.coverage = new CoverageTracker(spec.config.handleMode);
  }

  /** Runs the next execution of the tree (the first, or the one after `tree.advance()`). */
  execute(iteration: number): ExecutionSummary {
    this.iteration = iteration;
    const loop = this.start();
    const { spec } = this;
    executionBoard.begin(iteration, 'dfs', spec.seed, 0);
    let ended: unknown = null;
    try {
      while (loop.steps < spec.steps) {
        if (this.atBoundary(loop)) {
          // Pruned: the run did not end here, so no end-of-run checks (its subtree has had them).
          const { checker, recorder } = loop;
          return this.summary({ violations: checker.violations, warnings: checker.warnings, traceHash: recorder.hasher.hex(), steps: loop.steps, records: recorder.hasher.records, fault: null }, iteration);
        }
        this.work.steps++;
        if (loop.step()) break;
      }
    } catch (error) {
      ended = error;
      // User code threw: the execution ends on it, a finding (explore/thrown.ts). The next one
      // restores a snapshot taken at a step boundary, or starts a new machine.
      const fault = thrownFault(runFaultOf(error));
      if (fault === null) throw error;
      return this.summary(loop.finish(fault), iteration);
    } finally {
      executionBoard.endOn(ended);
    }
    return this.summary(loop.finish(), iteration);
  }

  /**
   * A device keeps state the digest cannot see (opaqueState.ts): from here on no state is compared
   * or saved, and every execution runs from step 0. The states compared so far were plain data,
   * so what was pruned before stays exactly searched.
   */
  private goesStateless(loop: RunLoop): boolean {
    const why = warnIfSlow('checking', () => readingDeviceStates(this.scenario.devices.length, () => opaqueDeviceState(loop.vmm)));
    if (why === null) return false;
    this.options = { ...this.options, prune: false, fork: false };
    this.boundaries = [];
    this.states.statelessFrom = { execution: this.iteration + 1, why };
    return true;
  }

  /** A fresh run, or the current path's run restored at the boundary before the advanced point. */
  private start(): RunLoop {
    const { tree } = this;
    if (this.options.fork && this.loop !== null) {
      const branch = tree.pathLength - 1;
      let keep = this.boundaries.length;
      while (keep > 0 && this.boundaries[keep - 1]!.depth > branch) keep--;
      this.boundaries.length = keep;
      const at = this.boundaries[keep - 1];
      if (at !== undefined) {
        const live = this.loop;
        readingDeviceStates(this.scenario.devices.length, () => restoreRun(live, at.saved, this.coverage));
        this.work.restores++;
        tree.rewind(at.depth);
        this.recording.log.truncate(at.logLength);
        this.choices.irqsTaken = at.budget.irqsTaken;
        this.choices.preemptions = at.budget.preemptions;
        // The restored boundary itself was already taken: the loop goes on with its step.
        this.resumed = true;
        return this.loop;
      }
    }
    this.recording.log.truncate(0);
    this.choices.irqsTaken = 0;
    this.choices.preemptions = 0;
    this.boundaries = [];
    this.coverage = new CoverageTracker(this.spec.config.handleMode);
    const coverage = this.coverage;
    this.loop = new RunLoop({
      scenario: this.scenario, seed: this.spec.seed, choices: this.recording, config: this.spec.config,
      stopOn: this.spec.stopOn, tailRecords: 1, onRecord: (record) => coverage.onRecord(record),
    });
    return this.loop;
  }

  /**
   * Every `snapshotEverySteps` boundaries, if the execution passed a branching point since the
   * last snapshot (or none was taken): once the budget is spent no more branches come, and a
   * snapshot nothing will resume from is pure cost.
   */
  private worthSnapshot(loop: RunLoop): boolean {
    if (loop.steps % (this.options.snapshotEverySteps ?? DEFAULT_SNAPSHOT_EVERY_STEPS) !== 0) return false;
    const last = this.boundaries[this.boundaries.length - 1];
    return last === undefined || (loop.steps > last.steps && this.tree.position > last.depth);
  }

  /** At a step boundary: remember it (fork), and say whether the execution ends here (prune). */
  private atBoundary(loop: RunLoop): boolean {
    if (this.resumed) {
      this.resumed = false;
      return false;
    }
    const { tree } = this;
    if ((this.options.fork || this.options.prune) && this.goesStateless(loop)) return false;
    if (this.options.fork && this.worthSnapshot(loop)) {
      this.work.snapshots++;
      this.boundaries.push({
        steps: loop.steps, depth: tree.position, saved: warnIfSlow('copying', () => readingDeviceStates(this.scenario.devices.length, () => saveRun(loop, this.coverage))), logLength: this.recording.log.length,
        budget: { irqsTaken: this.choices.irqsTaken, preemptions: this.choices.preemptions },
      });
    }
    if (!this.options.prune || !tree.beyondFrontier) return false;
    const digest = warnIfSlow('digesting', () => readingDeviceStates(this.scenario.devices.length, () => runLoopDigest(loop)));
    const left = this.choices.remaining;
    const seen = this.visited.get(digest);
    if (seen === undefined) {
      this.states.distinct++;
      if (this.visited.size < STATES_MAX) this.visited.set(digest, [left]);
      return false;
    }
    this.states.revisited++;
    if (seen.some((b) => b.irqs >= left.irqs && b.preemptions >= left.preemptions)) {
      this.states.pruned++;
      return true;
    }
    seen.push(left);
    return false;
  }

  private summary(result: Pick<SimRunResult, 'violations' | 'warnings' | 'traceHash' | 'steps' | 'records' | 'fault'>, iteration: number): ExecutionSummary {
    const violation = result.fault === null ? stoppingViolation(result, this.spec.stopOn) : undefined;
    const found = result.fault !== null ? thrownSummary(result.fault, result.records) : violation === undefined ? null : summarizeViolation(violation);
    const log = this.recording.log;
    let irqPoints = 0;
    let irqs = 0;
    for (let i = 0; i < log.length; i++) {
      if (log.kinds[i] !== 0) continue;
      irqPoints++;
      for (let v = log.values[i]! >>> 0; v !== 0; v &= v - 1) irqs++;
    }
    return {
      iteration, strategy: 'dfs', strategySeed: 0, workloadSeed: this.spec.seed, traceHash: result.traceHash, steps: result.steps, irqPoints, irqs,
      violation: found,
      windows: [...this.coverage.counts],
      warnings: warningSummaries(result.warnings),
      choices: found === null ? null : log.serialize(),
    };
  }
}
