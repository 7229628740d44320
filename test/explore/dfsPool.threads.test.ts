// `--strategy dfs --workloads N --workers W`: each workload's search depends on (spec, w) alone,
// so the pool, folding the searches back in workload order, gives the one-thread result: the
// same executions, numbered the same, the same first violation, the same workloads not searched.
import { describe, expect, it } from 'vitest';
import flaky from '../../examples/scenarios/flaky-driver.js';
import { runCampaignHere, type CampaignResult } from '../../src/explore/campaign.js';
import { runDfsOnPool } from '../../src/explore/dfsPool.js';
import { campaignSpec } from '../../src/explore/explore.js';
import type { CampaignSpec } from '../../src/explore/spec.js';

const THREADS_TIMEOUT_MS = 120_000;

function spec(keepGoing: boolean, iterations: number): CampaignSpec {
  return campaignSpec({
    scenario: flaky, scenarioRef: { kind: 'module', path: 'examples/scenarios/flaky-driver.ts' }, strategy: 'dfs', seed: 1,
    iterations, steps: 6, params: { irqBudget: 1, preemptionBound: 1 }, workloads: 8, keepGoing,
  });
}

/** Everything a report reads of a campaign result. */
function reportable(r: CampaignResult): unknown {
  return {
    executions: r.executions, first: r.first, distinct: r.distinct, warnings: r.warnings, coverage: r.coverage.toJSON(), irqPointsMax: r.irqPointsMax,
    distinctRuns: r.distinctRuns, exhausted: r.exhausted, states: r.states, byStrategy: r.byStrategy, dfsWorkloads: r.dfsWorkloads,
  };
}

describe('dfs over workloads on a worker pool', () => {
  it.each([
    ['stopping at the first violation', false, 1000],
    ['with --keep-going', true, 1000],
    ['with a budget some workloads hit', true, 8 * 11],
  ])('gives the one-thread result, %s', async (_name, keepGoing, iterations) => {
    const s = spec(keepGoing, iterations);
    const one = runCampaignHere(flaky, s);
    const pooled = await runDfsOnPool(s, 2);
    expect(reportable(pooled)).toEqual(reportable(one));
    if (!keepGoing) expect(one.dfsWorkloads!.some((w) => w.status === 'notSearched')).toBe(true);
    if (iterations < 1000) expect(one.dfsWorkloads!.some((w) => w.status === 'budget')).toBe(true);
  }, THREADS_TIMEOUT_MS);

  // The signal is looked at before any search starts, so none runs an execution.
  it('a stop signal raised before the campaign stops every search before its first execution', async () => {
    const pooled = await runDfsOnPool(spec(true, 1000), 2, { cancelled: () => true });
    expect(pooled.exhausted).toBe(false);
    expect(pooled.dfsWorkloads!.every((w) => w.status === 'cancelled' && w.executions === 0)).toBe(true);
    expect(pooled.executions).toBe(0);
  }, THREADS_TIMEOUT_MS);
});
