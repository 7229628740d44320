/**
 * What the executions of one campaign range share instead of each allocating its own:
 * - the machine itself: the kit keeps the run loop (and its Vmm, devices, checker) of the last
 *   (scenario, config) it ran, and restarts it for the next run of the same (RunLoop.restart,
 *   Vmm.reset: every field as a new machine has it, every device's `state()` made again);
 * - the parts a new machine is built around, when the scenario or config changes
 *   (ReusedParts: the trace recorder, the VMs' client register blocks; the invariant checker);
 * - the client workloads: every execution of a campaign runs one of the campaign's workloads
 *   (workloads.ts), so each one's ops are drawn once and replayed (WorkloadTape, one per seed);
 * - the coverage tracker, the record readers' dispatch (one ExecutionRecords, pointed at
 *   each run's readers) and the choice log's buffer (ExecutionChoiceLog), reset per run.
 * Nothing a finished run leaves is read by a later one: test/explore/machineKit.test.ts holds
 * every summary to a fresh machine's, in any order, and test/actors/runLoopRestart.test.ts holds a
 * reset machine to a new one field by field.
 */
import { RunLoop, type RunLoopOptions, type SimRunResult, type StopOn } from '../actors/runLoop.js';
import { runLoopSteps, runSim } from '../actors/sim/simRun.js';
import { WorkloadTape } from '../actors/workloadTape.js';
import type { RecordObserver } from '../actors/sim/strategies/inService.js';
import type { ChoiceSource } from '../vmm/choices.js';
import type { RecordSink } from '../vmm/recordKinds.js';
import { CoverageTracker } from './coverage.js';
import type { HandleMode } from '../vmm/eventTable.js';
import { ExecutionChoiceLog } from './executionChoices.js';
import { ExecutionRecords } from './executionRecords.js';
import { MAX_WORKLOADS } from './workloads.js';
import type { Scenario } from '../scenario/scenario.js';
import { ClientRegsPool } from '../shared/clientRegs.js';
import type { ClientOpSource } from '../vmm/clientOps.js';
import { InvariantChecker } from '../vmm/checker/checker.js';
import { CheckpointRecorder } from '../vmm/checkpoints.js';
import type { ReusedParts } from '../vmm/vmm.js';

/** What one execution is lent. */
export interface LentParts {
  reused: ReusedParts;
  /** Reset for this run (InvariantChecker.reset: the verdicts of a new one); undefined: the run makes its own. */
  checker: InvariantChecker | undefined;
  /** The seeded workload of (scenario, seed), replayed; undefined: the run draws its own. */
  ops: ClientOpSource | undefined;
}

const FRESH: LentParts = { reused: {}, checker: undefined, ops: undefined };

export class MachineKit {
  private readonly reused: ReusedParts = { trace: new CheckpointRecorder(), clientRegs: new ClientRegsPool() };
  private readonly checker = new InvariantChecker();
  /** The workloads of the last scenario run here, by seed (at most MAX_WORKLOADS: a campaign's). */
  private readonly tapes = new Map<number, WorkloadTape>();
  private tapesScenario: Scenario | null = null;
  private lent = false;
  /** The machine of the last run, and the config it was built with. */
  private loop: RunLoop | null = null;
  private loopConfig: RunLoopOptions['config'] = undefined;
  private readonly tracker = new CoverageTracker('checked');
  private readonly choices = new ExecutionChoiceLog();
  /** The record readers of every run here; pointed at each run's readers. */
  private readonly records = new ExecutionRecords(null, null, null);
  /**
   * The one record sink of every machine the kit builds (the checker, then the readers): one
   * call target for the core's record makers whatever the scenario or campaign. A sink per
   * machine was a new target at each campaign's machine, and every record maker the compiler
   * had specialized on the last one deoptimized (measured: the first round of a campaign after
   * another ran at two thirds of the speed).
   */
  private readonly sink: RecordSink = (record, kind) => {
    this.checker.read(record, kind);
    this.records.read(record, kind);
  };

  /**
   * Draws the workload tape of (scenario, seed) ahead of the runs, unless the kit holds it: a
   * campaign calls this before its loop, so `lend` finds the tape and builds none inside the
   * compiled loop (measured: a construct there that the compiled code had never met
   * deoptimized it at the start of every new campaign of a process).
   */
  prepare(scenario: Scenario, seed: number): WorkloadTape {
    if (this.tapesScenario !== scenario || this.tapes.size >= MAX_WORKLOADS) {
      this.tapes.clear();
      this.tapesScenario = scenario;
    }
    let tape = this.tapes.get(seed);
    if (tape === undefined) {
      tape = new WorkloadTape(seed, scenario);
      this.tapes.set(seed, tape);
    }
    return tape;
  }

  /** The coverage tracker of the next run here, reset (a run inside another gets a new one, as it gets a machine of its own). */
  coverage(handleMode: HandleMode): CoverageTracker {
    return this.lent ? new CoverageTracker(handleMode) : this.tracker.reset(handleMode);
  }

  /** The choice log of the next run here, emptied (a run inside another gets a new one). */
  choiceLog(): ExecutionChoiceLog {
    return this.lent ? new ExecutionChoiceLog() : this.choices.reset();
  }

  /**
   * One run of `scenario` from `seed` for up to `steps` steps on the kit's machine: the last
   * run's loop restarted when it ran the same scenario and config, else a new one on the kit's
   * parts. The records go to `coverage`, `strategy` and `extra`, as ExecutionRecords sends them.
   * A run started inside another (nothing does that today) gets a machine of its own.
   */
  run(
    scenario: Scenario, seed: number, steps: number, config: RunLoopOptions['config'], stopOn: StopOn, choices: ChoiceSource,
    coverage: CoverageTracker | null, strategy: RecordObserver | null, extra: RecordSink | null,
  ): SimRunResult {
    if (this.lent) {
      const onRecord = new ExecutionRecords(coverage, strategy, extra).read;
      return runSim({ scenario, seed, steps, choices, config, stopOn, tailRecords: 0, onRecord });
    }
    this.lent = true;
    try {
      const ops = this.prepare(scenario, seed).play();
      this.records.use(coverage, strategy, extra);
      let loop = this.loop;
      if (loop !== null && loop.options.scenario === scenario && sameConfig(this.loopConfig, config)) {
        loop.restart(choices, ops, stopOn);
      } else {
        // Dropped first: if the build throws, no half-built machine is kept.
        this.loop = null;
        this.checker.reset();
        // No tail (tailRecords 0): a summary reads none, and keeping one stored every record.
        loop = new RunLoop({
          scenario, seed, choices, config, stopOn, tailRecords: 0, sink: this.sink, reused: this.reused, checker: this.checker, ops,
        });
        this.loop = loop;
        this.loopConfig = config;
      }
      try {
        return runLoopSteps(loop, steps);
      } catch (error) {
        // The machine stopped inside a step (user code threw, or ran away): the next run builds a new one.
        this.loop = null;
        throw error;
      }
    } finally {
      // The readers of a finished run are not kept alive by the kit.
      this.records.use(null, null, null);
      this.lent = false;
    }
  }

  /**
   * Runs `run` with the kit's parts for a run of `scenario` from `seed`. Runs are synchronous,
   * so one is lent at a time; a run started inside another (nothing does that today) gets
   * fresh parts rather than shared ones.
   */
  lend<T>(scenario: Scenario, seed: number, run: (parts: LentParts) => T): T {
    if (this.lent) return run(FRESH);
    this.lent = true;
    try {
      const tape = this.prepare(scenario, seed);
      this.checker.reset();
      return run({ reused: this.reused, checker: this.checker, ops: tape.play() });
    } finally {
      this.lent = false;
    }
  }
}

/** Whether two run configs build the same machine (a campaign's spec makes its own config object; its fields are plain values). */
function sameConfig(a: RunLoopOptions['config'], b: RunLoopOptions['config']): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a) as (keyof typeof a)[];
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * The kit every campaign of this thread borrows (iterations.ts), PCT's estimate run included.
 * One per thread, not one per campaign: a new kit's arrays (the checker's, the register
 * blocks', the tape's) start empty and take their element kind at their first store, a shape
 * the code compiled during the campaign before never met; measured, the next campaign of a
 * process then deoptimized the checker, the workload reader and the register pool and ran its
 * first thousand executions at half speed. Runs are synchronous, so campaigns interleaved on one
 * thread (generators pulled in turn) still borrow it one run at a time; it holds the tapes of one scenario.
 */
export const THREAD_KIT = new MachineKit();
