// The scheduler keeps its last pick until something it reads changes (scheduler.ts,
// `schedulingChanged`). SPEC §2: "The scheduler runs the non-suspended, non-blocked VM with the
// highest execution priority; the time slicer rotates Cur_Run_VM_Boost among VMs." A kept pick
// that a fresh scan of the VMs would not make is a missed write of a boost, a VM's state, the
// current VM or the slice holder: these runs compare the two after every step.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunLoop } from '../../src/actors/runLoop.js';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { pickVm } from '../../src/vmm/scheduler.js';

const example = (path: string) => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url));

/** Steps a run; after each step a kept pick must be the one a fresh scan makes. Returns the picks compared. */
function comparePicks(scenario: Scenario, seed: number, steps: number): { compared: number; switches: number } {
  const loop = new RunLoop({ scenario, seed, choices: defaultStrategy(scenario, seed).choices });
  const vmm = loop.vmm;
  let compared = 0;
  for (let i = 0; i < steps; i++) {
    const stop = loop.step();
    const kept = vmm.pickedVm;
    if (kept === null) continue;
    vmm.pickedVm = null;
    const fresh = pickVm(vmm);
    expect(fresh.id, `step ${i}: kept pick VM ${kept.id}, a fresh scan picks VM ${fresh.id}`).toBe(kept.id);
    compared++;
    if (stop) break;
  }
  return { compared, switches: vmm.trace.counter.counts.taskSwitches };
}

describe('the scheduler\'s kept pick', () => {
  it('is the fresh scan\'s pick after every step of the default scenario (boosts, time slices, a VM destroyed and created)', () => {
    for (const seed of [1, 2, 3]) {
      const { compared, switches } = comparePicks(defaultScenario(5, 4000), seed, 4000);
      expect(compared).toBeGreaterThan(1000);
      expect(switches).toBeGreaterThan(10);
    }
  });

  it('is the fresh scan\'s pick in scenarios that suspend VMs, block them on the critical section and boost them', async () => {
    for (const path of ['real/vnetbios.ts', 'real/vkdhk.ts', 'outside/boostLeak.ts']) {
      const scenario = await loadScenario({ kind: 'module', path: example(path) });
      for (const seed of [1, 7]) {
        const { compared } = comparePicks(scenario, seed, 3000);
        expect(compared, path).toBeGreaterThan(0);
      }
    }
  });
});
