/**
 * A ChoiceSource whose answers a test writes down: IRQs planned for the next preemption point
 * of a kind ("the next one inside ring 0"), or one IRQ source mask per preemption point; the
 * order of pending global events; the latitude's call-now answers. It also notes what it was
 * asked, so a test can assert on the questions.
 */
import type { ChoiceSource, IrqPoint } from '../../src/vmm/choices.js';

/** Where a planned IRQ may land: any preemption point, only inside ring 0, only between client steps. */
export type Where = 'any' | 'ring0' | 'vm' | ((point: IrqPoint) => boolean);

export interface ChoiceScript {
  /** One IRQ source mask per preemption point, in order (after the planned ones are used). */
  irqs?: readonly number[];
  /** Answers to nextGlobalEvent, in order; FIFO (0) once used up. */
  orders?: readonly number[];
  /** Answers to callNow (the latitude), in order; true once used up. */
  callNow?: readonly boolean[];
  /** Start the arrays over when used up, instead of falling back (random property runs). */
  cycle?: boolean;
  /** At most this many non-zero IRQ answers in all (an endless interrupt storm never ends a step). */
  irqBudget?: number;
}

function cycled<T>(values: readonly T[], index: number, cycle: boolean, fallback: T): T {
  if (values.length === 0) return fallback;
  if (index < values.length) return values[index]!;
  return cycle ? values[index % values.length]! : fallback;
}

export class ScriptedChoices implements ChoiceSource {
  /** Every preemption point the core asked about, in order. */
  readonly points: IrqPoint[] = [];
  /** The `pending` argument of every nextGlobalEvent question. */
  readonly orderQuestions: number[] = [];
  callNowQuestions = 0;
  private readonly plan: { mask: number; where: Where }[] = [];
  private irqIndex = 0;
  private orderIndex = 0;
  private irqsLeft: number;

  constructor(private readonly script: ChoiceScript = {}) {
    this.irqsLeft = script.irqBudget ?? Infinity;
  }

  /** The next preemption point that `where` accepts raises the sources in `mask` (planned IRQs go first, FIFO). */
  irqAt(mask: number, where: Where = 'any'): this {
    this.plan.push({ mask, where });
    return this;
  }

  get plannedLeft(): number {
    return this.plan.length;
  }

  irqArrivals(point: IrqPoint): number {
    this.points.push(point);
    const head = this.plan[0];
    if (head !== undefined && accepts(head.where, point)) {
      this.plan.shift();
      return head.mask;
    }
    if (this.irqsLeft <= 0) return 0;
    const mask = cycled(this.script.irqs ?? [], this.irqIndex++, this.script.cycle ?? false, 0);
    if (mask !== 0) this.irqsLeft--;
    return mask;
  }

  nextGlobalEvent(pending: number): number {
    this.orderQuestions.push(pending);
    return cycled(this.script.orders ?? [], this.orderIndex++, this.script.cycle ?? false, 0) % pending;
  }

  callNow(): boolean {
    return cycled(this.script.callNow ?? [], this.callNowQuestions++, this.script.cycle ?? false, true);
  }
}

function accepts(where: Where, point: IrqPoint): boolean {
  if (where === 'any') return true;
  if (where === 'ring0') return point.inRing0;
  if (where === 'vm') return !point.inRing0;
  return where(point);
}
