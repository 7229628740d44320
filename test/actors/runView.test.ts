// What a scenario invariant sees (issue: "invariants see every VM's client registers and each
// VM's execution priority"): a read-only view of each VM, its Client_Reg_Struc by name and the
// priority the scheduler compares (boosts, plus Cur_Run_VM_Boost for the time slicer's VM).
import { describe, expect, it } from 'vitest';
import { RunLoop } from '../../src/actors/runLoop.js';
import { runView } from '../../src/actors/runView.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { Boost } from '../../src/vmm/constants.js';
import { destroyVm } from '../../src/vmm/services/vmControl.js';
import { testDevice } from '../support/devices.js';
import { machine, ScriptedChoices, ScriptedOps } from '../support/machine.js';

const HIGH = Boost.High_Pri_Device_Boost;

/** Traps: `mark` puts 0x1234ABCD in the caller's client EAX; `boost2` boosts VM 2. */
const marker = testDevice('marker', {
  mark: (r) => r.client.set('EAX', 0x1234abcd),
  boost2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, HIGH),
});

describe('RunView: every VM, read-only', () => {
  it('client registers by name and by alias, and the execution priority with its boosts', () => {
    const m = machine({ devices: [marker] });
    const view = runView(m.vmm);
    m.runOps(1, m.trap('marker', 'mark'), m.trap('marker', 'boost2'));
    const vm1 = view.vm(1)!;
    const vm2 = view.vm(2)!;
    expect(vm1.client('EAX')).toBe(0x1234abcd);
    expect(vm1.client('AX')).toBe(0xabcd);
    expect(vm1.client('AH')).toBe(0xab);
    expect(vm2.client('EAX')).not.toBe(0x1234abcd);
    expect(vm2.boost).toBe(HIGH);
    expect(vm2.execPriority).toBe(m.vmm.execPriority(m.vm(2)));
    expect(vm2.execPriority).toBeGreaterThanOrEqual(HIGH);
    expect(view.vms().map((v) => v.id)).toEqual([1, 2]);
    expect(view.vms()[0]!.handle).toBe(m.handle(1));
    expect(view.vm(3)).toBeUndefined();
  });

  it('a destroyed VM stays in the list, alive: false', () => {
    const m = machine({ devices: [marker], config: { vms: 3 } });
    const view = runView(m.vmm);
    destroyVm(m.vmm, 3);
    expect(view.vm(3)!.alive).toBe(false);
    expect(view.vms().filter((v) => v.alive).map((v) => v.id)).toEqual([1, 2]);
  });

  it('a scenario invariant reads them during a run (and its message becomes a violation)', () => {
    const scenario = defineScenario({
      name: 'view', vms: 2, devices: [marker],
      invariants: [{
        name: 'noMarkedVm',
        check: (view) => {
          const marked = view.vms().find((vm) => vm.client('EAX') === 0x1234abcd);
          return marked === undefined ? undefined : `VM ${marked.id} marked at priority ${marked.execPriority}`;
        },
      }],
    });
    const ops = new ScriptedOps();
    ops.push(1, { op: 'trap', device: 0, entry: 0, arg: 0 });
    const loop = new RunLoop({ scenario, seed: 1, choices: new ScriptedChoices(), ops });
    for (let i = 0; i < 4; i++) loop.step();
    const result = loop.finish();
    const found = result.violations.filter((v) => v.kind === 'noMarkedVm');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.message).toMatch(/^VM 1 marked at priority \d+$/);
  });
});
