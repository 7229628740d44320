// The simulated runtime's loop: lifecycle steps, user invariants, stopping on a violation, and
// the built-in machine staying free of device bugs.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/actors/sim/simulate.js';
import { runSim } from '../../../src/actors/sim/simRun.js';
import { QUIET_CHOICES } from '../../../src/vmm/choices.js';
import { defaultScenario } from '../../../src/scenario/default.js';
import { defineScenario } from '../../../src/scenario/scenario.js';
import { testDevice } from '../../support/devices.js';

describe('runSim', () => {
  it('applies the scenario\'s lifecycle steps: the default scenario replaces its last VM halfway', () => {
    const steps = 400;
    const result = runSim({ scenario: defaultScenario(4, steps), seed: 3, steps, choices: QUIET_CHOICES, keepAll: true });
    const lifecycle = result.all!.filter((r) => r.k === 'vmLifecycle');
    // Then the shutdown destroys every VM but the system VM (Sys_VM_Terminate: "only after all other virtual machines have terminated").
    expect(lifecycle).toMatchObject([
      { op: 'destroy', targetVm: 4 }, { op: 'create', targetVm: 5 },
      { op: 'destroy', targetVm: 2 }, { op: 'destroy', targetVm: 3 }, { op: 'destroy', targetVm: 5 },
    ]);
    expect(result.records).toBe(result.all!.length);
    expect(result.invariantsOk).toBe(true);
  });

  it('reports a broken user invariant as a device bug named after it; atEnd ones only at the end', () => {
    const counter = testDevice('counter', { poke: (r) => void (r.state.pokes = (r.state.pokes ?? 0) + 1) });
    const scenario = defineScenario({
      name: 'invariants', vms: 1, devices: [counter], mix: { run: 0, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
      invariants: [
        { name: 'fewPokes', check: (v) => ((v.device<Record<string, number>>('counter').pokes ?? 0) > 3 ? 'too many pokes' : undefined) },
        { name: 'endCheck', atEnd: true, check: (v) => `ended at step ${v.step}` },
      ],
    });
    const result = runSim({ scenario, seed: 1, steps: 10, choices: QUIET_CHOICES });
    // fewPokes breaks at step 4 and stays broken: reported there, not again at steps 5-10 (trace format 8).
    expect(result.violations.map((v) => v.kind)).toEqual(['fewPokes', 'endCheck']);
    expect(result.violations.at(-1)!.message).toBe('ended at step 10');
    expect(result.violations.every((v) => v.severity === 'device')).toBe(true);
    expect(result.invariantsOk).toBe(true);
  });

  it('stopOn "any" ends the run at the first violation', () => {
    const bad = testDevice('bad', { poke: (r) => r.cancelGlobalEvent(0xdead0000) });
    const scenario = defineScenario({ name: 'bad', vms: 1, devices: [bad], mix: { run: 0, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 } });
    const result = runSim({ scenario, seed: 1, steps: 100, choices: QUIET_CHOICES, stopOn: 'any' });
    expect(result.steps).toBe(1);
    expect(result.firstViolation).toMatchObject({ kind: 'invalidHandle', severity: 'device' });
  });

  it.each([
    [25, 6, true],
    [7, 4, false],
    [3, 3, true],
  ])('the built-in machine has no device bugs (seed %i, %i VMs, latitude %s), across the VM it destroys', (seed, vms, latitude) => {
    const steps = 3000;
    const { result } = simulate({
      scenario: defaultScenario(vms, steps), scenarioRef: { kind: 'builtin', name: 'default', vms, steps }, seed, steps,
      config: { handleMode: 'checked', latitude },
    });
    expect(result.violations).toEqual([]);
  });
});
