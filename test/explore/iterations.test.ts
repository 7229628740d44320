/**
 * The unit every runner cuts a campaign into: iterations [from, to) as plain data. Whatever the
 * cut, the summaries are the same as the whole campaign's, in iteration order; this is what lets
 * a pool or a distributed queue fold chunks into the one-thread result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { GUIDED_EPOCH, iterate, memberOf, runIterations } from '../../src/explore/iterations.js';
import { PORTFOLIO, type StrategyName } from '../../src/explore/spec.js';

function setup(strategy: StrategyName, iterations: number, name = 'pooled-stale-cancel', seed = 9) {
  const scenario = zooEntry(name)!.scenario(true);
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name, fixed: true }, strategy, seed, iterations, steps: 12 });
  return { scenario, spec };
}

describe('runIterations', () => {
  it('the portfolio runs its members round-robin by execution', () => {
    const { spec } = setup('portfolio', 8);
    expect(Array.from({ length: 8 }, (_, i) => memberOf(spec, i))).toEqual([...PORTFOLIO, ...PORTFOLIO]);
  });

  it.each(['portfolio', 'guided'] as const)('%s: any cut of the range gives the same summaries as the whole', (strategy) => {
    const total = GUIDED_EPOCH + 40;
    const { scenario, spec } = setup(strategy, total);
    const whole = runIterations(scenario, spec, 0, total).map((s) => s.traceHash);
    fc.assert(fc.property(fc.integer({ min: 0, max: total - 1 }), fc.integer({ min: 1, max: 30 }), (from, length) => {
      const to = Math.min(total, from + length);
      expect(runIterations(scenario, spec, from, to).map((s) => s.traceHash)).toEqual(whole.slice(from, to));
    }), { seed: 11, numRuns: 12 });
  });

  it('coverage-guided executions differ from the random strategy once the corpus has entries (the feedback is used)', () => {
    const guided = setup('guided', 40);
    const random = setup('random', 40);
    const a = runIterations(guided.scenario, guided.spec, 0, 40).map((s) => s.traceHash);
    const b = runIterations(random.scenario, random.spec, 0, 40).map((s) => s.traceHash);
    expect(new Set(a).size).toBeGreaterThan(20);
    expect(a.slice(1)).not.toEqual(b.slice(1));
  });

  it('campaigns pulled in turn on one thread (they borrow one machine kit) give each its own summaries', () => {
    const a = setup('pct', 30, 'pooled-stale-cancel', 9);
    const b = setup('guided', 30, 'stale-handle', 9); // the same seed: only the scenario tells their workloads apart
    const alone = [a, b].map(({ scenario, spec }) => runIterations(scenario, spec, 0, 30));
    const pulled = [iterate(a.scenario, a.spec, 0, 30), iterate(b.scenario, b.spec, 0, 30)];
    const inTurn: [unknown[], unknown[]] = [[], []];
    for (let i = 0; i < 30; i++) pulled.forEach((executions, side) => inTurn[side]!.push(executions.next().value));
    expect(inTurn).toEqual(alone);
  });
});
