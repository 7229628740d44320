// The built-in machine exercises the interrupt model (issue: "one device defers its Phys_EOI to an
// event callback, one relies on level-triggered re-simulation and clears its request in its
// EOI_Proc, a VM masks and unmasks an IRQ"), and the checker finds it correct.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../src/scenario/default.js';

describe('the built-in machine', () => {
  it.each([1, 3, 7])('seed %i: deferred Phys_EOIs, virtual EOIs, level-triggered re-simulations and mask changes, all invariants held', (seed) => {
    const steps = 20_000;
    const { result } = simulate({
      scenario: defaultScenario(4, steps), scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps }, seed, steps,
      config: { handleMode: 'checked', latitude: false },
    });
    const c = result.counts;
    expect(result.invariantsOk).toBe(true);
    expect(result.violations).toEqual([]);
    expect(c.deferredPhysEois).toBeGreaterThan(0);
    expect(c.virtualEois).toBeGreaterThan(0);
    expect(c.resimulatedRequests).toBeGreaterThan(0);
    expect(c.virtualMaskChanges).toBeGreaterThan(0);
    expect(c.virtualIrets).toBeGreaterThan(0);
  });
});
