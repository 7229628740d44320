import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import type { SourceInfo } from '../../src/actors/sim/irqSources.js';
import { PosStrategy } from '../../src/actors/sim/strategies/pos.js';
import { Corpus } from '../../src/explore/corpus.js';
import { Rng } from '../../src/shared/rng.js';
import type { HistoryRecord } from '../../src/vmm/history.js';

function sources(count: number): SourceInfo[] {
  return Array.from({ length: count }, (_, i) => ({ device: `d${i}`, irq: 3 + i, meanIntervalTicks: 100 }));
}

const arbitraryRun = fc.record({
  seed: fc.integer({ min: 0, max: 0xffff_ffff }),
  sources: fc.integer({ min: 1, max: 4 }),
  budget: fc.integer({ min: 0, max: 6 }),
  points: fc.integer({ min: 1, max: 120 }),
});

describe('POS', () => {
  it('asserts one eligible source at a time, within its budget per source, the same for the same seed', () => {
    fc.assert(fc.property(arbitraryRun, (run) => {
      const ask = () => {
        const pos = new PosStrategy(new Rng(run.seed), sources(run.sources), { irqBudget: run.budget });
        return Array.from({ length: run.points }, (_, i) => pos.irqArrivals({ ticks: i, inRing0: i % 2 === 0, eligibleSources: (1 << run.sources) - 1 }));
      };
      const answers = ask();
      expect(ask()).toEqual(answers);
      for (const a of answers) expect(a === 0 || (a & (a - 1)) === 0).toBe(true);
      for (let i = 0; i < run.sources; i++) expect(answers.filter((a) => a === 1 << i).length).toBeLessThanOrEqual(run.budget);
    }), { seed: 5 });
  });

  it('never asserts a source whose handler is running', () => {
    const pos = new PosStrategy(new Rng(3), sources(1), { irqBudget: 1000 });
    pos.onRecord({ k: 'irqEnter', irq: 3, nested: false } as unknown as HistoryRecord);
    for (let i = 0; i < 200; i++) expect(pos.irqArrivals({ ticks: i, inRing0: true, eligibleSources: 1 })).toBe(0);
    pos.onRecord({ k: 'irqExit', irq: 3, claimedBy: 'd0' } as unknown as HistoryRecord);
    expect(Array.from({ length: 200 }, (_, i) => pos.irqArrivals({ ticks: i, inRing0: true, eligibleSources: 1 })).some((a) => a === 1)).toBe(true);
  });

  it('takes pending global events by priority: every answer names a pending event', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 30 }), (seed, queue) => {
      const pos = new PosStrategy(new Rng(seed), sources(1), { irqBudget: 1 });
      for (const pending of queue) {
        const pick = pos.nextGlobalEvent(pending);
        expect(pick >= 0 && pick < pending).toBe(true);
      }
    }), { seed: 6 });
  });
});

describe('coverage-guided corpus', () => {
  function log(entries: [number, number][]): ChoiceLog {
    const l = new ChoiceLog();
    for (const [kind, value] of entries) {
      l.kinds.push(kind);
      l.values.push(value);
    }
    return l;
  }

  it('keeps a sequence only when it reaches a feature no earlier one did', () => {
    const corpus = new Corpus();
    expect(corpus.offer(log([[0, 0]]), new Set([1, 2]))).toBe(true);
    expect(corpus.offer(log([[0, 1]]), new Set([2]))).toBe(false);
    expect(corpus.offer(log([[0, 2]]), new Set([2, 3]))).toBe(true);
    expect(corpus.entries).toHaveLength(2);
  });

  it('mutates deterministically for a seed, into sequences of the same kinds with IRQ answers of at most one source', () => {
    const corpus = new Corpus();
    corpus.offer(log([[0, 0], [0, 1], [1, 2], [0, 0], [2, 1], [0, 2], [0, 0]]), new Set([1]));
    corpus.offer(log([[0, 4], [1, 0], [0, 0]]), new Set([2]));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), (seed) => {
      const a = corpus.candidate(new Rng(seed), 3);
      const b = corpus.candidate(new Rng(seed), 3);
      expect([a.kinds, a.values]).toEqual([b.kinds, b.values]);
      a.kinds.forEach((kind, i) => {
        expect([0, 1, 2]).toContain(kind);
        if (kind === 0) expect(a.values[i]! === 0 || (a.values[i]! & (a.values[i]! - 1)) === 0).toBe(true);
      });
    }), { seed: 7 });
    expect(new Corpus().candidate(new Rng(1), 3).length).toBe(0);
  });
});
