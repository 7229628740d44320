/**
 * What the executions of one campaign range share instead of each allocating its own:
 * - machine parts that cost more to build than to reset (ReusedParts: the trace recorder, the
 *   VMs' client register blocks), reset by the machine that takes them; the invariant checker,
 *   reset here before each run;
 * - the client workload: every execution of a campaign runs the scenario's workload from the
 *   campaign's seed, so its ops are drawn once and replayed (WorkloadTape).
 * Each execution still builds its own machine around them, so everything a scenario's devices
 * keep (`state()`, made per machine) starts fresh; the parts kept here hold nothing of a
 * finished run that a later one reads (test/explore/machineKit.test.ts holds every summary to
 * a fresh machine's, in any order).
 */
import { WorkloadTape } from '../actors/workload.js';
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
  /** The workload of the last (scenario, seed) run here. */
  private tape: WorkloadTape | null = null;
  private lent = false;

  /**
   * Draws the workload tape of (scenario, seed) ahead of the runs, unless the kit holds it: a
   * campaign calls this before its loop, so `lend` finds the tape and builds none inside the
   * compiled loop (measured: a construct there that the compiled code had never met
   * deoptimized it at the start of every new campaign of a process).
   */
  prepare(scenario: Scenario, seed: number): void {
    if (this.tape === null || this.tape.scenario !== scenario || this.tape.seed !== seed) this.tape = new WorkloadTape(seed, scenario);
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
      if (this.tape === null || this.tape.scenario !== scenario || this.tape.seed !== seed) this.tape = new WorkloadTape(seed, scenario);
      this.checker.reset();
      return run({ reused: this.reused, checker: this.checker, ops: this.tape.play() });
    } finally {
      this.lent = false;
    }
  }
}

/**
 * The kit every campaign of this thread borrows (iterations.ts), PCT's estimate run included.
 * One per thread, not one per campaign: a new kit's arrays (the checker's, the register
 * blocks', the tape's) start empty and take their element kind at their first store, a shape
 * the code compiled during the campaign before never met; measured, the next campaign of a
 * process then deoptimized the checker, the workload reader and the register pool and ran its
 * first thousand executions at half speed. Runs are synchronous, so campaigns interleaved on one
 * thread (generators pulled in turn) still borrow it one run at a time; it holds one tape.
 */
export const THREAD_KIT = new MachineKit();
