/**
 * Partial Order Sampling (Yuan, Yang, Gu, "Partial Order Aware Concurrency Sampling", CAV 2018),
 * adapted to interrupt and event-order choices.
 *
 * POS gives every pending event a random priority, runs the highest-priority enabled event at
 * each step, and after the step redraws the priorities of the events that race with the one that
 * ran (and gives the thread's next event a fresh priority). Here:
 *
 * - IRQ choice points. The pending events are the CPU's next step and, per source that may
 *   assert (eligible, assertions left, its handler not running), that source's next assertion.
 *   The CPU's step is a new event at every point: fresh priority each time. A source's pending
 *   assertion keeps its priority across CPU steps, so it fires at a point with chance equal to
 *   its priority: a source drawn low waits long, one drawn high cuts in almost at once, and the
 *   timings spread over the whole execution. When a source asserts, its next assertion gets a
 *   fresh priority, and so do the other sources' pending assertions: they raced for that point.
 * - Global event order. Each pending global event gets a priority when it first shows up in the
 *   queue; the highest runs next and the rest keep theirs (they race only with what runs).
 * - The latitude's call-now answer is a fair coin.
 *
 * POS's guarantee (every partial order of bounded size has a probability bounded below) is
 * stated for threads with data races, not for this mapping: POS prints no bound.
 */
import type { Rng } from '../../../shared/rng.js';
import type { ChoiceSource, IrqPoint } from '../../../vmm/choices.js';
import type { HistoryRecord } from '../../../vmm/history.js';
import type { SourceInfo } from '../irqSources.js';
import { IN_SERVICE_KINDS, InServiceSources, type RecordObserver } from './inService.js';

export interface PosOptions {
  /** Assertions each source may make in one execution. */
  irqBudget: number;
}

export class PosStrategy implements ChoiceSource, RecordObserver {
  private readonly sourcePriority: number[] = [];
  private readonly assertionsLeft: number[] = [];
  /** Priorities of the pending global events, oldest first. */
  private readonly orderPriority: number[] = [];
  private readonly inService: InServiceSources;
  /** It reads records only to know which sources are in service. */
  readonly recordKinds = IN_SERVICE_KINDS;

  constructor(private rng: Rng, readonly sources: readonly SourceInfo[], private readonly options: PosOptions) {
    this.inService = new InServiceSources(sources);
    this.draw();
  }

  /** The strategy a new one on `rng` (same sources and options) would be, its arrays rewritten in place. */
  restart(rng: Rng): this {
    this.rng = rng;
    // A store to `length` is a call into the runtime even when it changes nothing.
    if (this.orderPriority.length !== 0) this.orderPriority.length = 0;
    this.inService.reset();
    this.draw();
    return this;
  }

  /**
   * Each source's first priority and its budget, drawn in a new strategy's order; a restart
   * rewrites them in place (both arrays hold one entry per source from the first draw on).
   */
  private draw(): void {
    const { sourcePriority, assertionsLeft } = this;
    for (let i = 0; i < this.sources.length; i++) {
      const priority = this.rng.float();
      if (i < sourcePriority.length) {
        sourcePriority[i] = priority;
        assertionsLeft[i] = this.options.irqBudget;
      } else {
        sourcePriority.push(priority);
        assertionsLeft.push(this.options.irqBudget);
      }
    }
  }

  onRecord(record: HistoryRecord, kind?: number): void {
    this.inService.onRecord(record, kind);
  }

  irqArrivals(point: IrqPoint): number {
    const blocked = this.inService.mask;
    let runner = -1;
    let best = this.rng.float();
    for (let i = 0; i < this.sources.length; i++) {
      const enabled = this.assertionsLeft[i]! > 0 && (point.eligibleSources & (1 << i)) !== 0 && (blocked & (1 << i)) === 0;
      if (enabled && this.sourcePriority[i]! > best) {
        runner = i;
        best = this.sourcePriority[i]!;
      }
    }
    if (runner < 0) return 0;
    this.assertionsLeft[runner]!--;
    for (let i = 0; i < this.sources.length; i++) {
      if (i === runner || (point.eligibleSources & (1 << i)) !== 0) this.sourcePriority[i] = this.rng.float();
    }
    return 1 << runner;
  }

  nextGlobalEvent(pending: number): number {
    // The queue's length is all the core tells: events that left it by other means than this
    // choice (a cancel) shift the alignment, which only changes which priorities are drawn.
    if (this.orderPriority.length > pending) this.orderPriority.length = pending;
    while (this.orderPriority.length < pending) this.orderPriority.push(this.rng.float());
    let pick = 0;
    for (let i = 1; i < pending; i++) if (this.orderPriority[i]! > this.orderPriority[pick]!) pick = i;
    this.orderPriority.splice(pick, 1);
    return pick;
  }

  callNow(): boolean {
    return this.rng.chance(0.5);
  }
}
