/**
 * A shrink candidate's choices, replayed step by step: each recorded step of the run gets back
 * the answers it asked for then, whatever the steps before it asked.
 *
 * Replayed by position instead (one flat log), deleting an element shifts every answer after
 * it: an IRQ removed takes its handler's own choice points with it, so the answers recorded
 * there land on the points that follow, and an IRQ the bug never needed can become one it does.
 * Then an element that could go alone cannot, and the 1-minimal result keeps it (a PCT find of
 * `wrong-cancel-service` kept 9 IRQs where the dfs find of the same bug needs 1). Aligned per
 * step, an edit moves answers within its own step at most.
 *
 *   log:    | boot | step 0 | step 1 | ... | step n-1 |
 *   bounds:  b0     b1       b2            bn          (bounds[i + 1] = end of step i)
 *
 * A step that asks for more answers than it has gets the quiet ones (no IRQ, FIFO, call now); one
 * that asks for fewer leaves the rest unused; past the last step, every answer is quiet. Within a
 * step, an answer of the wrong kind is quiet too (as the positional replay does).
 */
import { ChoiceLog, KIND_CODE } from '../actors/sim/choiceLog.js';
import type { ChoiceSource, IrqPoint } from '../vmm/choices.js';

export class SteppedChoices {
  /** `log` split into the boot's answers and one segment per step (bounds[0]: end of the boot's). */
  constructor(readonly log: ChoiceLog, readonly bounds: readonly number[]) {}
}

export class StepAlignedReplay implements ChoiceSource {
  /** -1 while the machine boots, then the step being run. */
  private step = -1;
  private index = 0;
  private end: number;

  constructor(private readonly choices: SteppedChoices) {
    this.end = Math.min(choices.bounds[0] ?? 0, choices.log.length);
  }

  /** The run starts its next step: its answers are that step's segment. */
  beginStep(): void {
    this.step++;
    const { bounds, log } = this.choices;
    this.index = Math.min(bounds[this.step] ?? log.length, log.length);
    this.end = Math.min(bounds[this.step + 1] ?? log.length, log.length);
  }

  irqArrivals(point: IrqPoint): number {
    return this.take(KIND_CODE.irq, 0) & point.eligibleSources;
  }
  nextGlobalEvent(pending: number): number {
    const value = this.take(KIND_CODE.order, 0);
    return value < pending ? value : 0;
  }
  callNow(): boolean {
    return this.take(KIND_CODE.latitude, 1) === 1;
  }
  clientStillRunning(): boolean {
    if (this.index >= this.end || this.choices.log.kinds[this.index] !== KIND_CODE.idle) return false;
    this.index++;
    return true;
  }

  private take(code: number, quiet: number): number {
    if (this.index >= this.end) return quiet;
    const at = this.index++;
    return this.choices.log.kinds[at] === code ? this.choices.log.values[at]! : quiet;
  }
}
