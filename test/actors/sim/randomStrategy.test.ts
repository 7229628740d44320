// The random strategy: IRQs only from eligible sources, a budget that bounds them, and a
// FIFO-or-shuffled global order.
import { describe, expect, it } from 'vitest';
import { RandomStrategy } from '../../../src/actors/sim/randomStrategy.js';
import { Rng } from '../../../src/shared/rng.js';

const SOURCES = [
  { device: 'a', irq: 0, meanIntervalTicks: 100 },
  { device: 'b', irq: 1, meanIntervalTicks: 100 },
  { device: 'c', irq: 3, meanIntervalTicks: 100 },
];

describe('RandomStrategy', () => {
  it('uniform: raises only eligible sources, and no more than irqBudget in all', () => {
    const strategy = new RandomStrategy(new Rng(1), SOURCES, { mode: 'uniform', p: 1, irqBudget: 5 });
    let raised = 0;
    for (let t = 0; t < 50; t++) {
      const mask = strategy.irqArrivals({ ticks: t, inRing0: t % 2 === 0, eligibleSources: 0b101 });
      expect(mask & ~0b101).toBe(0);
      for (let m = mask; m !== 0; m &= m - 1) raised++;
    }
    expect(raised).toBe(5);
  });

  it('poisson: no virtual time elapsed, no interrupt; a long wait makes one near certain', () => {
    const strategy = new RandomStrategy(new Rng(2), SOURCES, { mode: 'poisson' });
    expect(strategy.irqArrivals({ ticks: 0, inRing0: false, eligibleSources: 0b111 })).toBe(0);
    expect(strategy.irqArrivals({ ticks: 100_000, inRing0: false, eligibleSources: 0b111 })).toBe(0b111);
  });

  it('the same seed gives the same answers; FIFO unless shuffling', () => {
    const answers = (shuffleGlobals: boolean) => {
      const s = new RandomStrategy(new Rng(3), SOURCES, { mode: 'uniform', p: 0.3, shuffleGlobals });
      return Array.from({ length: 20 }, (_, t) => [s.irqArrivals({ ticks: t, inRing0: true, eligibleSources: 0b111 }), s.nextGlobalEvent(5), Number(s.callNow())]);
    };
    expect(answers(true)).toEqual(answers(true));
    expect(answers(false).every(([, order]) => order === 0)).toBe(true);
    expect(answers(true).some(([, order]) => order !== 0)).toBe(true);
    expect(answers(true).every(([, order]) => order! >= 0 && order! < 5)).toBe(true);
  });
});
