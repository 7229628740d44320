import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { runCampaignHere, type CampaignResult } from '../../src/explore/campaign.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { ExplorePool, runCampaignOnPool } from '../../src/explore/pool.js';
import type { ExecutionSummary, StrategyName } from '../../src/explore/spec.js';

const THREADS_TIMEOUT_MS = 60_000;

function specFor(name: string, fixed: boolean, strategy: StrategyName, iterations: number) {
  const scenario = zooEntry(name)!.scenario(fixed);
  return { scenario, spec: campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name, fixed }, strategy, seed: 42, iterations, steps: 30 }) };
}

function comparable(result: CampaignResult, seen: ExecutionSummary[]) {
  return {
    executions: result.executions, first: result.first, distinct: result.distinct,
    coverage: result.coverage.toJSON(), irqPointsMax: result.irqPointsMax, hashes: seen.map((s) => s.traceHash),
  };
}

describe('explore on a worker pool', () => {
  it.each(['portfolio', 'random', 'pct', 'pos', 'guided'] as const)('%s: the same executions, in the same order, as one thread (clean twin, every iteration)', async (strategy) => {
    // More than two chunks: the pool really cuts the campaign (and the guided corpus epochs).
    const iterations = strategy === 'portfolio' || strategy === 'guided' ? 600 : 150;
    const { scenario, spec } = specFor('pooled-stale-cancel', true, strategy, iterations);
    const here: ExecutionSummary[] = [];
    const pooled: ExecutionSummary[] = [];
    const one = runCampaignHere(scenario, spec, { onExecution: (s) => here.push(s) });
    const many = await runCampaignOnPool(spec, 2, { onExecution: (s) => pooled.push(s) });
    expect(one.executions).toBe(iterations);
    expect(comparable(many, pooled)).toEqual(comparable(one, here));
  }, THREADS_TIMEOUT_MS);

  it.each(['portfolio', 'random', 'pct', 'pos'] as const)('%s: stops at the same first violation as one thread', async (strategy) => {
    const { scenario, spec } = specFor('read-then-cancel', false, strategy, 400);
    const one = runCampaignHere(scenario, spec);
    const many = await runCampaignOnPool(spec, 3);
    expect(one.first).not.toBeNull();
    expect(comparable(many, [])).toEqual(comparable(one, []));
  }, THREADS_TIMEOUT_MS);

  it('a pool warmed first (one warm-up batch per worker, met at a barrier) runs two campaigns as one thread does', async () => {
    const { scenario, spec } = specFor('pooled-stale-cancel', true, 'portfolio', 520);
    const pool = new ExplorePool(2);
    try {
      await pool.warm(spec, 300);
      for (const seed of [42, 7]) {
        const s = { ...spec, seed };
        const here: ExecutionSummary[] = [];
        const pooled: ExecutionSummary[] = [];
        const one = runCampaignHere(scenario, s, { onExecution: (x) => here.push(x) });
        const many = await pool.run(s, { onExecution: (x) => pooled.push(x) });
        expect(comparable(many, pooled)).toEqual(comparable(one, here));
      }
    } finally {
      await pool.destroy();
    }
  }, THREADS_TIMEOUT_MS);
});
