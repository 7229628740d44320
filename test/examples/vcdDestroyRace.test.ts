// What exploring the VCD port showed (README "Real drivers"): VCD_Destroy_VM detaches the port
// and cancels nothing, relying on VCD_Set_Owner_Event's `xchg` of the owner. A COM interrupt that
// lands at the `popfd` closing VCD_Set_Owner, while the dying VM is current, assigns the port to
// the dying VM again (VCDI_assign: "This VM should own port"); the event runs before the VMM
// switches away and attaches it to a VM that is then destroyed. The campaign's workload decides
// whether the dying VM is current at that step: seed 29's is, and the portfolio finds it there.
import { describe, expect, it } from 'vitest';
import vcd from '../../examples/real/vcd.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('the VCD port under exploration', () => {
  it('finds the port left owned by a destroyed VM (seed 29), and the shrunk trace replays exactly to it', async () => {
    const spec = campaignSpec({ scenario: vcd, scenarioRef: { kind: 'module', path: 'examples/real/vcd.ts' }, strategy: 'portfolio', seed: 29, iterations: 500 });
    const outcome = await explore(vcd, spec);
    expect(outcome.campaign.first?.violation.kind).toBe('portOwnerDestroyed');
    const trace = outcome.trace!;
    const { result, divergence } = replayTrace(trace, await loadScenario(trace.scenario));
    expect(divergence).toBeNull();
    expect(result?.firstViolation?.kind).toBe('portOwnerDestroyed');
  });
});
