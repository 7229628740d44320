import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DfsTree } from '../../src/actors/sim/strategies/dfs.js';
import { binomial, computing, explore, spec, trapping } from '../support/dfsFixtures.js';

describe('dfs', () => {
  it('exhausts one source over S computing steps in sum(C(S, i), i <= B) executions, each a different run', () => {
    const run = explore(computing, spec(6, 2, 0));
    expect(run.exhausted).toBe(true);
    expect(run.executions).toBe(1 + 6 + 15);
    expect(new Set(run.hashes).size).toBe(run.executions);
  });

  it('takes every subset of points when the IRQ bound is no bound', () => {
    const run = explore(computing, spec(5, 5, 0));
    expect(run.exhausted).toBe(true);
    expect(run.executions).toBe(2 ** 5);
  });

  it('counts preemptions apart: sum over a + b <= B, b <= P of C(S, a) C(2S, b)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (steps, irqBound, preemptionBound) => {
      let expected = 0;
      for (let a = 0; a <= irqBound; a++) {
        for (let b = 0; b <= Math.min(preemptionBound, irqBound - a); b++) expected += binomial(steps, a) * binomial(2 * steps, b);
      }
      const run = explore(trapping, spec(steps, irqBound, preemptionBound));
      expect(run.exhausted).toBe(true);
      expect(run.executions).toBe(expected);
      expect(new Set(run.hashes).size).toBe(expected);
    }), { numRuns: 25 });
  });

  it('says the space is not exhausted when the iteration budget runs out first', () => {
    const run = explore(computing, spec(6, 2, 0, 10));
    expect(run.executions).toBe(10);
    expect(run.exhausted).toBe(false);
  });

  it('reports a scenario that is not deterministic instead of searching a wrong tree', () => {
    const tree = new DfsTree();
    tree.choose(2);
    tree.advance();
    expect(() => tree.choose(3)).toThrow(/not deterministic/);
  });
});
