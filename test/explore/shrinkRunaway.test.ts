/**
 * A shrink candidate that runs away. Removing an op or an IRQ can leave a driver waiting for
 * good: test/explore/fixtures/spinWhenFirst.ts loops on a service when its `spin` comes first,
 * which a run with an op before it never meets and a candidate without that op does. The
 * candidate is refused, as one that ends in another violation is; before, the runaway ended the
 * campaign (exit 3) and the finding went without a trace.
 */
import { describe, expect, it } from 'vitest';
import scenario from './fixtures/spinWhenFirst.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('shrinking past a candidate that runs away', () => {
  it('refuses the candidate, shrinks the finding to 1-minimal, and the shrunk trace replays to it', async () => {
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'module', path: 'test/explore/fixtures/spinWhenFirst.ts' }, strategy: 'portfolio', seed: 1, iterations: 200, workloads: 1 });
    const outcome = await explore(scenario, spec);
    expect(outcome.campaign.first?.violation.kind).toBe('staleCancel');
    const shrunk = outcome.shrunk!;
    expect(shrunk).not.toBeNull();
    expect(shrunk.minimal).toBe(true);
    expect(shrunk.after.steps).toBeLessThan(shrunk.before.steps);
    // Some candidate removed the ops before a `spin` (the run would start with it): refused.
    expect(shrunk.accepted).toBeLessThan(shrunk.candidates);
    // The scenario as the trace names it (a shrunk trace may run on fewer VMs).
    const trace = outcome.trace!;
    const replayed = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replayed.divergence).toBeNull();
    expect(replayed.result?.firstViolation?.kind).toBe('staleCancel');
  });
});
