/**
 * The random strategy: every choice drawn from a seeded generator.
 * - `poisson` (for `run`): each IRQ source asserts as a Poisson process in virtual time, at its
 *   device's mean interval, so interrupts land where the CPU spends its time (the next assertion
 *   of each source is drawn ahead, so most preemption points draw nothing);
 * - `uniform` (for exploration): at every preemption point each eligible source asserts with
 *   probability `p`, so interrupts land inside short ring-0 windows as often as anywhere;
 *   `irqBudget` bounds the interrupts of one execution.
 * Pending global events are taken in a random order; the latitude choice is a coin flip.
 */
import type { Rng } from '../../shared/rng.js';
import type { ChoiceSource, IrqPoint } from '../../vmm/choices.js';
import type { SourceInfo } from './irqSources.js';

export interface RandomStrategyOptions {
  mode: 'poisson' | 'uniform';
  /** uniform: chance per eligible source per preemption point. */
  p?: number;
  /** Interrupts one execution may raise in all (uniform mode); unlimited if absent. */
  irqBudget?: number;
  /** Take pending global events in random order (true) or FIFO (false). */
  shuffleGlobals?: boolean;
}

export class RandomStrategy implements ChoiceSource {
  private irqsLeft: number;
  private readonly poisson: boolean;
  private readonly uniformChance: number;
  private readonly meanIntervals: Float64Array;
  /** Poisson: the virtual time of each source's next assertion, and the earliest of them. */
  private readonly arrivalTicks: Float64Array;
  private nextArrivalTicks = 0;

  constructor(private rng: Rng, private readonly sources: readonly SourceInfo[], private readonly options: RandomStrategyOptions) {
    this.irqsLeft = options.irqBudget ?? Infinity;
    this.poisson = options.mode === 'poisson';
    this.uniformChance = options.p ?? 0.05;
    this.meanIntervals = Float64Array.from(sources, (source) => source.meanIntervalTicks);
    this.arrivalTicks = new Float64Array(sources.length);
    this.drawArrivals();
  }

  /** The strategy a new one on `rng` (same sources and options) would be: the explorer keeps one per campaign range. */
  restart(rng: Rng): this {
    this.rng = rng;
    this.irqsLeft = this.options.irqBudget ?? Infinity;
    this.nextArrivalTicks = 0;
    this.drawArrivals();
    return this;
  }

  /** Poisson: each source's first assertion, drawn ahead (uniform draws nothing up front). */
  private drawArrivals(): void {
    if (!this.poisson) return;
    let next = Infinity;
    for (let i = 0; i < this.sources.length; i++) {
      const at = (this.arrivalTicks[i] = this.interval(i));
      if (at < next) next = at;
    }
    this.nextArrivalTicks = next;
  }

  irqArrivals(point: IrqPoint): number {
    return this.poisson ? this.poissonArrivals(point.ticks, point.eligibleSources) : this.uniformArrivals(point.eligibleSources);
  }

  /**
   * Each source's assertions are a Poisson process: its next one is drawn (exponential gap)
   * when the last one is due, so a preemption point before any is due costs one comparison.
   * One due while its device still asserts (not eligible) is lost, as a second edge would be.
   */
  private poissonArrivals(ticks: number, eligible: number): number {
    if (ticks < this.nextArrivalTicks || this.irqsLeft <= 0) return 0;
    let mask = 0;
    let next = Infinity;
    for (let i = 0; i < this.arrivalTicks.length; i++) {
      let at = this.arrivalTicks[i]!;
      if (at <= ticks) {
        if ((eligible & (1 << i)) !== 0 && this.irqsLeft > 0) {
          mask |= 1 << i;
          this.irqsLeft--;
        }
        this.arrivalTicks[i] = at = ticks + this.interval(i);
      }
      if (at < next) next = at;
    }
    this.nextArrivalTicks = next;
    return mask;
  }

  /** An exponential gap at source i's mean (strictly positive: the draw is never 0 or 1). */
  private interval(source: number): number {
    return -Math.log(this.rng.float() + 2 ** -33) * this.meanIntervals[source]!;
  }

  private uniformArrivals(eligible: number): number {
    let mask = 0;
    for (let i = 0; i < this.sources.length && this.irqsLeft > 0; i++) {
      if ((eligible & (1 << i)) === 0) continue;
      if (this.rng.chance(this.uniformChance)) {
        mask |= 1 << i;
        this.irqsLeft--;
      }
    }
    return mask;
  }

  nextGlobalEvent(pending: number): number {
    return this.options.shuffleGlobals === false ? 0 : this.rng.int(pending);
  }

  callNow(): boolean {
    return this.rng.chance(0.5);
  }
}
