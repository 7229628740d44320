/**
 * What the executions of one campaign range share instead of each allocating its own: machine
 * parts that cost more to build than to reset (ReusedParts, reset by the machine that takes
 * them). Each execution still builds its own machine around them, so everything a scenario's
 * devices keep (`state()`, made per machine) starts fresh; the parts kept here hold nothing of a
 * finished run that a later one reads (the property test in test/explore/machineKit.test.ts
 * holds every summary to a fresh machine's).
 */
import { CheckpointRecorder } from '../vmm/checkpoints.js';
import type { ReusedParts } from '../vmm/vmm.js';

export class MachineKit {
  private readonly parts: ReusedParts = { trace: new CheckpointRecorder() };
  private lent = false;

  /**
   * Runs `run` with the kit's parts. Runs are synchronous, so one is lent at a time; a run
   * started inside another (nothing does that today) gets fresh parts rather than shared ones.
   */
  lend<T>(run: (parts: ReusedParts) => T): T {
    if (this.lent) return run({});
    this.lent = true;
    try {
      return run(this.parts);
    } finally {
      this.lent = false;
    }
  }
}
