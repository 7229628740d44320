// Claims the explorer prints, held to what was run: a PCT bound over fewer executions than
// client workloads claims nothing (some workload ran none: its bound is 1), and one over a single
// workload is exactly (1 - p)^N for the N executions it ran.
import { describe, expect, it } from 'vitest';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { eoiBeforeReadScenario } from '../../examples/outside/eoiBeforeRead.js';

const scenario = eoiBeforeReadScenario(true);
const scenarioRef = { kind: 'module' as const, path: 'examples/outside/fixed/eoiBeforeRead.ts' };

describe('the PCT confidence figure', () => {
  it('3 executions over the default 64 workloads: a workload ran none, so the bound is 1 (no claim)', async () => {
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef, strategy: 'pct', seed: 1, iterations: 3 }));
    expect(outcome.campaign.first).toBeNull();
    const c = outcome.confidence!;
    expect(c.workloads).toBe(64);
    expect(c.executionsPerWorkload).toBe(0);
    expect(c.missBound).toBe(1);
  });

  it('one workload: the bound is (1 - p)^N over the N executions that ran, and N is what ran', async () => {
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef, strategy: 'pct', seed: 1, iterations: 50, workloads: 1 }));
    const c = outcome.confidence!;
    expect(outcome.campaign.executions).toBe(50);
    expect(c.executionsPerWorkload).toBe(50);
    expect(c.missBound).toBeCloseTo((1 - c.perExecution) ** 50, 12);
    expect(c.missBound).toBeGreaterThan(0);
    expect(c.missBound).toBeLessThan(1);
  });
});
