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

export class RandomStrategy implements ChoiceSource {
  private lastTicks = 0;
  private irqsLeft: number;

  constructor(private readonly rng: Rng, private readonly sources: readonly SourceInfo[], private readonly options: RandomStrategyOptions) {
    this.irqsLeft = options.irqBudget ?? Infinity;
  }

  irqArrivals(point: IrqPoint): number {
    const elapsedTicks = Math.max(0, point.ticks - this.lastTicks);
    this.lastTicks = point.ticks;
    let mask = 0;
    for (let i = 0; i < this.sources.length && this.irqsLeft > 0; i++) {
      if ((point.eligibleSources & (1 << i)) === 0) continue;
      const p = this.options.mode === 'poisson'
        ? 1 - Math.exp(-elapsedTicks / this.sources[i]!.meanIntervalTicks)
        : (this.options.p ?? 0.05);
      if (this.rng.chance(p)) {
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
