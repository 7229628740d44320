/**
 * The checker's warnings over a campaign. A run's warnings (README "Warnings") are legal
 * behaviour that is often a bug's sign; `vmmsim run` prints them, and an outside audit's leaked
 * critical section ran clean under explore while every run's checker warned. A campaign counts
 * each kind over its executions and names the first that met it, on one thread, a pool, a
 * checkpoint and dfs alike; nothing stops on a warning.
 */
import { describe, expect, it } from 'vitest';
import { CampaignAccumulator, runCampaignHere } from '../../src/explore/campaign.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { runIterations } from '../../src/explore/iterations.js';
import { exploreReport, formatExplore } from '../../src/explore/report.js';
import { runCampaignOnPool } from '../../src/explore/pool.js';
import type { StrategyName } from '../../src/explore/spec.js';
import { leakyDisk } from './fixtures/leakyDisk.js';

const ref = { kind: 'module', path: 'test/explore/fixtures/leakyDisk.ts' } as const;
const specOf = (leakAt: number | null, strategy: StrategyName, iterations: number) =>
  campaignSpec({ scenario: leakyDisk(leakAt), scenarioRef: ref, strategy, seed: 3, iterations, workloads: 8 });

describe("a campaign's warnings", () => {
  it('counts each kind over the executions and names the first that met it; the report says so under "no violation found"', async () => {
    const scenario = leakyDisk(3);
    const spec = specOf(3, 'random', 40);
    const outcome = await explore(scenario, spec, { shrink: false });
    expect(outcome.campaign.first).toBeNull();
    const held = outcome.campaign.warnings.find((w) => w.kind === 'criticalHeldAtEnd');
    expect(held).toBeDefined();
    // Held to the executions themselves: the count is theirs, and none before the first met it.
    const summaries = runIterations(scenario, spec, 0, spec.iterations);
    const met = summaries.filter((s) => s.warnings.some((w) => w.kind === 'criticalHeldAtEnd'));
    expect(held!.executions).toBe(met.length);
    expect(held!.firstIteration).toBe(met[0]!.iteration);
    expect(met.length).toBeGreaterThan(0);
    const lines = formatExplore(exploreReport(scenario.name, outcome, 1, null));
    const at = lines.indexOf('  no violation found');
    expect(lines[at + 1]).toBe("  warnings met (legal, but often a bug's sign; not violations, so no execution stopped on one and none has a trace):");
    expect(lines).toContain(`    criticalHeldAtEnd in ${met.length} execution(s), first in execution ${met[0]!.iteration + 1}: ${met[0]!.warnings.find((w) => w.kind === 'criticalHeldAtEnd')!.message}`);
  });

  it('the fixed driver meets none, and its report has no warnings line', async () => {
    const outcome = await explore(leakyDisk(null), specOf(null, 'random', 40), { shrink: false });
    expect(outcome.campaign.warnings).toEqual([]);
    expect(formatExplore(exploreReport('disk-fixed', outcome, 1, null)).some((l) => l.includes('warnings met'))).toBe(false);
  });

  it('a fold saved and restored, and ranges merged, count as one fold does', () => {
    const scenario = leakyDisk(3);
    const spec = specOf(3, 'random', 40);
    const summaries = runIterations(scenario, spec, 0, spec.iterations);
    const whole = new CampaignAccumulator(true);
    for (const s of summaries) whole.add(s);
    const firstHalf = new CampaignAccumulator(true);
    for (const s of summaries.slice(0, 20)) firstHalf.add(s);
    const restored = CampaignAccumulator.restore(JSON.parse(JSON.stringify(firstHalf.save())), true);
    const secondHalf = new CampaignAccumulator(true);
    for (const s of summaries.slice(20)) secondHalf.add({ ...s, iteration: s.iteration - 20 });
    restored.merge(secondHalf.save(), 20);
    expect(restored.result().warnings).toEqual(whole.result().warnings);
    expect(whole.result().warnings.length).toBeGreaterThan(0);
    // A checkpoint written before warnings were counted restores with none.
    const { warnings: _dropped, ...older } = firstHalf.save();
    expect(CampaignAccumulator.restore(older, true).result().warnings).toEqual([]);
  });

  it('on a pool of two, the same warnings as on one thread', async () => {
    const spec = specOf(3, 'portfolio', 600);
    const pooled = await runCampaignOnPool(spec, 2);
    expect(pooled.warnings).toEqual(runCampaignHere(leakyDisk(3), spec).warnings);
    expect(pooled.warnings.length).toBeGreaterThan(0);
  }, 120_000);

  it('dfs counts them too', () => {
    const spec = campaignSpec({ scenario: leakyDisk(3), scenarioRef: ref, strategy: 'dfs', seed: 3, iterations: 50, steps: 60, workloads: 1 });
    const result = runCampaignHere(leakyDisk(3), spec);
    expect(result.warnings.map((w) => w.kind)).toContain('criticalHeldAtEnd');
  });
});
