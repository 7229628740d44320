// A regression test for a race a threaded run found in the built-in disk: `abort` read the
// notification's VM *after* a service call. SPEC §4: "`Cancel_VM_Event`'s EBX must be the VM the
// event was scheduled for; a different one is a ... (cancelWrongVm)". Every service call is a
// preemption point; an IRQ 14 there pends a new notification for another VM, so a VM read after
// it names the wrong one. Here the IRQ is scripted to land at exactly that point.
import { describe, expect, it } from 'vitest';
import { disk, type DiskState } from '../../src/devices/disk.js';
import { Boost } from '../../src/vmm/constants.js';
import { testDevice } from '../support/devices.js';
import { machine, type Machine } from '../support/machine.js';

/** A device that only moves the CPU: `prefer` boosts the VM in EAX above every VM boosted before. */
function scheduling() {
  let level = 0;
  return testDevice('sched', {
    prefer(r) {
      level += 1;
      const vm = r.vmHandles()[r.regs.eax - 1]!;
      r.adjustExecPriority(vm, level * Boost.Low_Pri_Device_Boost - (r.state[`boost${r.regs.eax}`] ?? 0));
      r.state[`boost${r.regs.eax}`] = level * Boost.Low_Pri_Device_Boost;
    },
  });
}

/** Makes VM `to` current: the current VM traps into `prefer`. */
function switchTo(m: Machine, to: number): void {
  m.runOps(m.vmm.current.id, m.trap('sched', 'prefer', to));
  expect(m.vmm.current.id).toBe(to);
}

function stageTheRace() {
  const m = machine({ devices: [disk, scheduling()], config: { vms: 3, timesliceTicks: 1e9 } });
  const irq14 = m.source('disk', 14);
  const state = m.state<DiskState>('disk');
  // VM 2 and then VM 3 start a read: the requests are served in that order.
  switchTo(m, 2);
  m.runOps(2, m.trap('disk', 'read'));
  switchTo(m, 3);
  m.runOps(3, m.trap('disk', 'read'));
  // The first completion, while VM 3 runs: a notification pends for VM 2 (which does not run).
  m.choices.irqAt(irq14, 'vm');
  m.step();
  expect(state.notifyVm).toBe(m.handle(2));
  expect(state.outstanding).toEqual([m.handle(3)]);
  // The system VM runs its deferred VPICD_Phys_EOI, so IRQ 14 can be taken again.
  switchTo(m, 1);
  m.step(2);
  expect(state.deferredEois).toBe(1);
  switchTo(m, 3);
  // VM 3 aborts; the second completion lands at the first preemption point inside `abort`
  // (its Cancel_Global_Event), after the notification's handle was taken.
  const mark = m.mark();
  m.choices.irqAt(irq14, 'ring0');
  m.runOps(3, m.trap('disk', 'abort'));
  expect(m.choices.plannedLeft).toBe(0);
  return { m, state, mark };
}

describe('disk abort racing a completion interrupt', () => {
  it('the IRQ lands between taking the handle and cancelling it, and pends a notification for VM 3', () => {
    const { m, state, mark } = stageTheRace();
    const kinds = m.since(mark).map((r) => (r.k === 'service' ? r.service : r.k));
    // The trap, then the interrupt at once (nothing of `abort` ran a service before it), and the
    // first service of `abort` right after the handler returns: the IRQ preempted that call.
    expect(kinds.slice(0, 3)).toEqual(['clientOp', 'irqRaise', 'irqEnter']);
    const exit = kinds.indexOf('irqExit');
    expect(kinds.slice(exit, exit + 2)).toEqual(['irqExit', 'Cancel_Global_Event']);
    expect(state.notifyVm).toBe(m.handle(3));
    expect(state.aborted).toBe(1);
  });

  it('Cancel_VM_Event names VM 2, the VM the cancelled notification was scheduled for', () => {
    const { m, mark } = stageTheRace();
    const cancels = m.since(mark).filter((r) => r.k === 'service' && r.service === 'Cancel_VM_Event');
    expect(cancels).toHaveLength(1);
    expect(m.finish().violations.filter((v) => v.kind === 'cancelWrongVm'), m.dump(mark)).toEqual([]);
    expect(m.violations()).toEqual([]);
  });
});
