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
 *   log:    | boot | step 0 | step 1 | ... | step n-1 | shutdown |
 *   bounds:  b0     b1       b2            bn          (bounds[i + 1] = end of step i)
 *                                                     ^ shutdownFrom (= bn when there is one)
 *
 * The boot and the shutdown (the end-of-run messages, System_Exit among them) are segments of
 * their own: an IRQ there is an element like any other, and a violation raised while the run
 * shuts down keeps the answers that led to it however many steps a candidate ran.
 *
 * Within a segment, answers are matched by kind: a question finds the next answer of its kind,
 * past quiet answers of other kinds (questions this candidate no longer asks: the preemption
 * points of a deleted IRQ's handler, an event-order question with one event fewer pending).
 * Where a non-quiet answer of another kind, or the segment's end, comes first, the question is
 * one the recorded run did not ask: it gets the quiet answer (no IRQ, FIFO, call now, not idle)
 * and the answers stay for the questions that follow. Past the last step, every answer is quiet.
 */
import { ChoiceLog, KIND_CODE } from '../actors/sim/choiceLog.js';
import type { ChoiceSource, IrqPoint } from '../vmm/choices.js';

/** The answer of each kind that changes nothing (idle has none: its answers are all elements). */
const QUIET_VALUE = [0, 0, 1, -1] as const;

export function isQuietAnswer(kind: number, value: number): boolean {
  return QUIET_VALUE[kind] === value;
}

export class SteppedChoices {
  /**
   * `log` split into the boot's answers, one segment per step (bounds[0]: end of the boot's) and,
   * from `shutdownFrom` to the end, the shutdown's answers (none if not given).
   */
  constructor(readonly log: ChoiceLog, readonly bounds: readonly number[], readonly shutdownFrom = log.length) {}
}

export class StepAlignedReplay implements ChoiceSource {
  /** -1 while the machine boots, then the step being run. */
  private step = -1;
  private index = 0;
  private end: number;

  constructor(private readonly choices: SteppedChoices) {
    this.end = Math.min(choices.bounds[0] ?? 0, choices.log.length);
  }

  /** The run starts its next step: its answers are that step's segment (none past the last step). */
  beginStep(): void {
    this.step++;
    const { bounds } = this.choices;
    const last = bounds.length - 1;
    this.index = this.step < last ? bounds[this.step]! : 0;
    this.end = this.step < last ? Math.min(bounds[this.step + 1]!, this.choices.log.length) : 0;
  }

  /** The run shuts down (after however many steps it ran): the answers are the shutdown's segment. */
  beginShutdown(): void {
    this.index = this.choices.shutdownFrom;
    this.end = this.choices.log.length;
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
    return this.take(KIND_CODE.idle, 0) !== 0;
  }

  private take(code: number, quiet: number): number {
    const { kinds, values } = this.choices.log;
    for (let at = this.index; at < this.end; at++) {
      const kind = kinds[at]!;
      if (kind === code) {
        this.index = at + 1;
        return values[at]!;
      }
      if (!isQuietAnswer(kind, values[at]!)) break;
    }
    return quiet;
  }
}
