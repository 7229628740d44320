import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { irqSources } from '../../src/actors/sim/irqSources.js';
import { pctConfidence } from '../../src/explore/confidence.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { exploreReport } from '../../src/explore/report.js';
import type { StrategyName } from '../../src/explore/spec.js';

describe('PCT confidence', () => {
  it('is (1 - 1/(n k^(D-1)))^N', () => {
    const c = pctConfidence(2, 10, 2, 100);
    expect(c.perExecution).toBeCloseTo(1 / 20, 12);
    expect(c.missBound).toBeCloseTo(Math.pow(1 - 1 / 20, 100), 12);
    // Depth 1: only the initial priorities matter, one chance in n.
    expect(pctConfidence(4, 1000, 1, 3).missBound).toBeCloseTo(Math.pow(0.75, 3), 12);
  });

  it('falls as executions grow and rises with depth and k', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 10_000 }), (n, k, d, runs) => {
      const c = pctConfidence(n, k, d, runs);
      expect(c.missBound).toBeGreaterThanOrEqual(0);
      expect(c.missBound).toBeLessThanOrEqual(1);
      expect(pctConfidence(n, k, d, runs + 100).missBound).toBeLessThanOrEqual(c.missBound);
      expect(pctConfidence(n, k + 1, d + 1, runs).missBound).toBeGreaterThanOrEqual(c.missBound);
    }));
  });

  it('is reported after a clean PCT campaign, with n = 1 + IRQ sources and k at least the estimate', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'pct', seed: 1, iterations: 50, params: { depth: 3 } });
    const outcome = await explore(scenario, spec);
    expect(outcome.campaign.first).toBeNull();
    expect(outcome.confidence).toMatchObject({ actors: 1 + irqSources(scenario.devices).length, depth: 3, executions: 50 });
    expect(outcome.confidence!.k).toBeGreaterThanOrEqual(spec.pctK);
  });

  it.each(['portfolio', 'pos', 'random', 'guided'] as const)('%s prints no probabilistic bound after a clean campaign, and says so', async (strategy: StrategyName) => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy, seed: 1, iterations: 20 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.confidence).toBeNull();
    expect(report.claim).toMatch(/no probabilistic bound is claimed/);
  });

  it('pct states its bound with the bug class it covers', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'pct', seed: 1, iterations: 20 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.claim).toMatch(/^if the bug is an ordering of depth <= 2 among the CPU and these \d+ IRQ source\(s\) \(each asserting at most 8 times\) over <= \d+ choice points, P\(missed in all 20 executions\) <= /);
  });
});

describe('the workload a clean claim covers', () => {
  // Executions of a campaign differ only in their choices: all run the workload of the campaign's
  // seed. A claim that left this out would read as covering workloads no execution ran (the VCD
  // port's Destroy_VM race needs the dying VM to be current, which seed 1's workload never makes it).
  it.each(['portfolio', 'pct', 'pos', 'random', 'guided'] as const)('%s names the seed whose workload every execution ran', async (strategy: StrategyName) => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy, seed: 7, iterations: 10 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.claim).toContain(`every execution ran the client workload of seed 7 (${spec.steps} steps)`);
  });

  it('an exhausted dfs says so, with the same scope; a dfs that ran out of budget claims nothing', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const tiny = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'dfs', seed: 1, iterations: 100_000, steps: 2, params: { irqBudget: 1, preemptionBound: 1 } });
    const done = exploreReport(scenario.name, await explore(scenario, tiny, { shrink: false }), 1, null);
    expect(done.exhausted).toBe(true);
    expect(done.claim).toBe(`dfs: the bounded space is exhausted; every execution ran the client workload of seed 1 (2 steps); bugs that need another workload need another --seed`);
    const cut = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'dfs', seed: 1, iterations: 2 });
    const partial = exploreReport(scenario.name, await explore(scenario, cut, { shrink: false }), 1, null);
    expect(partial.exhausted).toBe(false);
    expect(partial.claim).toBeNull();
  });
});
