import { describe, expect, it } from 'vitest';
import '../../examples/zoo/index.js';
import { readThenCancelScenario } from '../../examples/zoo/readThenCancel.js';
import { runCampaignHere, runSeededBatch } from '../../src/explore/campaign.js';
import { campaignSpec } from '../../src/explore/explore.js';
import type { ExecutionSummary, StrategyName } from '../../src/explore/spec.js';
import type { Scenario } from '../../src/scenario/scenario.js';

const scenario: Scenario = readThenCancelScenario(false);

function executions(strategy: StrategyName, seed: number): ExecutionSummary[] {
  const spec = campaignSpec({
    scenario, scenarioRef: { kind: 'zoo', name: 'read-then-cancel', fixed: false }, strategy, seed, iterations: 40,
    steps: strategy === 'dfs' ? 8 : 30, keepGoing: true, params: strategy === 'dfs' ? { irqBudget: 1, preemptionBound: 1 } : {},
  });
  const seen: ExecutionSummary[] = [];
  runCampaignHere(scenario, spec, { onExecution: (summary) => seen.push(summary) });
  return seen;
}

describe.each(['random', 'pct', 'dfs'] as const)('%s strategy', (strategy) => {
  it('runs the same sequence of executions for the same seed', () => {
    const a = executions(strategy, 7);
    const b = executions(strategy, 7);
    expect(a.length).toBeGreaterThan(1);
    expect(a).toEqual(b);
  });

  it('keeps going past violations when asked, still deterministically', () => {
    const found = executions(strategy, 7).filter((s) => s.violation !== null);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((s) => s.choices !== null)).toBe(true);
  });
});

describe.each(['random', 'pct'] as const)('%s strategy seeds', (strategy) => {
  it('runs a different sequence for another seed', () => {
    const hashes = (seed: number) => executions(strategy, seed).map((s) => s.traceHash);
    expect(hashes(7)).not.toEqual(hashes(8));
  });

  it('gives iteration i the same execution run alone as run after all the others', () => {
    const all = executions(strategy, 7);
    const spec = campaignSpec({
      scenario, scenarioRef: { kind: 'zoo', name: 'read-then-cancel', fixed: false }, strategy, seed: 7, iterations: 40, steps: 30, keepGoing: true,
    });
    const late = all[all.length - 1]!;
    expect(runSeededBatch(scenario, spec, late.iteration, late.iteration + 1)).toEqual([late]);
  });
});
