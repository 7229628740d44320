// Iteration i's workload is a function of (spec, i) alone (src/explore/workloads.ts), so a pool
// that cuts the campaign into chunks finds what one thread finds: the same execution, on the same
// workload, with the same trace hash.
import { describe, expect, it } from 'vitest';
import vcd from './fixtures/vcdTerminate.js';
import { runCampaignHere } from '../../src/explore/campaign.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { runCampaignOnPool } from '../../src/explore/pool.js';

const THREADS_TIMEOUT_MS = 60_000;

describe('a campaign over several workloads on a worker pool', () => {
  it('finds the VCD destroy race at seed 1 in the same execution, on the same workload, as one thread', async () => {
    const spec = campaignSpec({ scenario: vcd, scenarioRef: { kind: 'module', path: 'test/explore/fixtures/vcdTerminate.ts' }, strategy: 'portfolio', seed: 1, iterations: 600 });
    const one = runCampaignHere(vcd, spec);
    const two = await runCampaignOnPool(spec, 2);
    expect(one.first?.violation.kind).toBe('portOwnerDestroyed');
    expect(two.first?.iteration).toBe(one.first?.iteration);
    expect(two.first?.workloadSeed).toBe(one.first?.workloadSeed);
    expect(two.first?.traceHash).toBe(one.first?.traceHash);
    expect(two.executions).toBe(one.executions);
    expect(two.distinctRuns).toBe(one.distinctRuns);
  }, THREADS_TIMEOUT_MS);
});
