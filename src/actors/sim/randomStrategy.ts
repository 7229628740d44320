/**
 * The random strategy: every choice drawn from a seeded generator.
 * - `poisson` (for `run`): each IRQ source asserts as a Poisson process in virtual time, at its
 *   device's mean interval, so interrupts land where the CPU spends its time;
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

/** Elapsed times whose Poisson chance is kept in a table (a step's elapsed time is almost always below). */
const TABLE_TICKS = 256;

export class RandomStrategy implements ChoiceSource {
  private lastTicks = 0;
  private irqsLeft: number;
  private readonly poisson: boolean;
  private readonly uniformChance: number;
  private readonly meanIntervals: Float64Array;
  /**
   * Source i's chance to assert within e ticks, at [i * TABLE_TICKS + e], computed on first use
   * (NaN until then): the same number `1 - exp(-e / mean)` gives, without an exp per source per
   * preemption point.
   */
  private readonly chances: Float64Array;

  constructor(private readonly rng: Rng, private readonly sources: readonly SourceInfo[], private readonly options: RandomStrategyOptions) {
    this.irqsLeft = options.irqBudget ?? Infinity;
    this.poisson = options.mode === 'poisson';
    this.uniformChance = options.p ?? 0.05;
    this.meanIntervals = Float64Array.from(sources, (source) => source.meanIntervalTicks);
    this.chances = new Float64Array(sources.length * TABLE_TICKS).fill(NaN);
  }

  irqArrivals(point: IrqPoint): number {
    const elapsedTicks = Math.max(0, point.ticks - this.lastTicks);
    this.lastTicks = point.ticks;
    const eligible = point.eligibleSources;
    const n = this.sources.length;
    let mask = 0;
    for (let i = 0; i < n && this.irqsLeft > 0; i++) {
      if ((eligible & (1 << i)) === 0) continue;
      const p = this.poisson ? this.poissonChance(i, elapsedTicks) : this.uniformChance;
      if (this.rng.chance(p)) {
        mask |= 1 << i;
        this.irqsLeft--;
      }
    }
    return mask;
  }

  private poissonChance(source: number, elapsedTicks: number): number {
    if (elapsedTicks >= TABLE_TICKS || (elapsedTicks | 0) !== elapsedTicks) return 1 - Math.exp(-elapsedTicks / this.meanIntervals[source]!);
    const at = source * TABLE_TICKS + elapsedTicks;
    let p = this.chances[at]!;
    if (p !== p) this.chances[at] = p = 1 - Math.exp(-elapsedTicks / this.meanIntervals[source]!);
    return p;
  }

  nextGlobalEvent(pending: number): number {
    return this.options.shuffleGlobals === false ? 0 : this.rng.int(pending);
  }

  callNow(): boolean {
    return this.rng.chance(0.5);
  }
}
