/**
 * What scheduled and dispatched priority events note of their VM (src/vmm/vmSnapshot.ts), and the
 * IRET frames of simulated interrupts: both are reused objects now, so the tests hold them to
 * what fresh objects would be. Records are never changed after the sink has them: a snapshot
 * many records share is frozen, and equal states share one object.
 */
import { describe, expect, it } from 'vitest';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { ClientRegs } from '../../src/shared/clientRegs.js';
import type { VmSnapshot } from '../../src/vmm/history.js';
import { VmState } from '../../src/vmm/vm.js';

function snapshotsOfRun(steps: number): VmSnapshot[] {
  const scenario = defaultScenario(4, steps);
  const states: VmSnapshot[] = [];
  runSim({
    scenario, seed: 7, steps, choices: defaultStrategy(scenario, 7).choices,
    onRecord: (record) => {
      if ((record.k === 'scheduled' || record.k === 'dispatch') && record.state !== null) states.push(record.state);
    },
  });
  return states;
}

const keyOf = (s: VmSnapshot): string => JSON.stringify([s.vif, s.pm, s.nestedExec, s.simulatingHwInt, s.critFree, s.priority]);

describe('VM snapshots in records', () => {
  const states = snapshotsOfRun(20_000);

  it('are frozen: no consumer can change what another record holds', () => {
    expect(states.length).toBeGreaterThan(100);
    for (const state of states) expect(Object.isFrozen(state)).toBe(true);
  });

  it('share one object per state, and differ where the state differs', () => {
    const byKey = new Map<string, VmSnapshot>();
    for (const state of states) {
      const first = byKey.get(keyOf(state));
      if (first === undefined) byKey.set(keyOf(state), state);
      else expect(state).toBe(first);
    }
    // The run sees more than one state (else sharing would be trivially true).
    expect(byKey.size).toBeGreaterThan(1);
    expect(new Set(states).size).toBe(byKey.size);
  });

  it('have exactly the six fields a new snapshot has', () => {
    for (const state of states) expect(Object.keys(state)).toEqual(['vif', 'pm', 'nestedExec', 'simulatingHwInt', 'critFree', 'priority']);
  });
});

describe('IRET frames', () => {
  it('a reused frame is the new frame its push describes, not the one given back', () => {
    const vm = new VmState(2, ClientRegs.allocate(false));
    vm.pushIretFrame(4, true, 100);
    const first = vm.iretStack.pop()!;
    first.timedOut = true;
    vm.releaseIretFrame(first);
    vm.pushIretFrame(12, false, 250);
    expect(vm.iretStack).toEqual([{ irq: 12, vif: false, deadlineTicks: 250, timedOut: false }]);
    expect(vm.iretStack[0]).toBe(first);
    // Nested: a second frame while one is on the stack is another object.
    vm.pushIretFrame(1, false, 300);
    expect(vm.iretStack[1]).not.toBe(vm.iretStack[0]);
    expect(vm.simulatingHwInt).toBe(true);
  });
});
