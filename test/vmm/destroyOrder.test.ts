// Which VM is current at each destruction message (DDK, System_Control messages; SPEC §5b).
// VM_Terminate: "The system sends this message when a virtual machine terminates normally ...
// The virtual machine can call the Simulate_Int and Exec_Int services in the specified virtual
// machine." VM_Not_Executeable: "notifies the virtual device that the virtual machine is no
// longer capable of executing ... The virtual device must not call the Simulate_Int or Exec_Int
// service in the specified virtual machine." Destroy_VM: "notifies the virtual device that the
// system has destroyed the virtual machine ... Considerable time can elapse between receipt of
// the VM_Not_Executeable message and this message." The model: VM_Terminate in the VM's own
// context (when it is current); then it can no longer run and the VMM switches away (the pending
// global events first: "the system does not switch tasks before calling the procedure"); then
// VM_Not_Executeable and Destroy_VM with another VM current, its events still pending.
import { describe, expect, it } from 'vitest';
import { Boost, PEF } from '../../src/vmm/constants.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { destroyVm } from '../../src/vmm/services/vmControl.js';
import { vmIdFromHandle } from '../../src/vmm/vm.js';
import { machine } from '../support/machine.js';

type Bag = Record<string, number>;
type Seen = { message: string; ebx: number; current: number };

const MESSAGES = ['VM_Terminate', 'VM_Not_Executeable', 'Destroy_VM'] as const;

/** A device that notes, at each destruction message, EBX and the current VM (Get_Cur_VM_Handle). */
function dyingWatcher(seen: Seen[], extra: Partial<Record<(typeof MESSAGES)[number], (r: Ring0<Bag>) => void>> = {}) {
  const note = (message: (typeof MESSAGES)[number]) => (r: Ring0<Bag>) => {
    const ebx = r.regs.ebx;
    seen.push({ message, ebx: vmIdFromHandle(ebx), current: vmIdFromHandle(r.currentVm()) });
    r.regs.ebx = ebx; // Get_Cur_VM_Handle returned in EBX
    extra[message]?.(r);
  };
  return defineDevice<Bag>({
    name: 'watcher',
    state: () => ({}),
    control: { VM_Terminate: 'onTerminate', VM_Not_Executeable: 'onNotExecutable', Destroy_VM: 'onDestroy' },
    entries: ['boost2', 'schedule2', 'scheduleTimed2'],
    slots: ['vmEvent', 'priorityEvent'],
    procs: {
      onTerminate: note('VM_Terminate'),
      onNotExecutable: note('VM_Not_Executeable'),
      onDestroy: note('Destroy_VM'),
      boost2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
      schedule2(r) {
        const vm2 = r.vmHandles()[1]!;
        r.slot('vmEvent').write(r.scheduleVmEvent(vm2, 'cb', 0));
        // No boost and a restriction VM 2 never meets: both wait while VM 1 keeps the CPU.
        r.slot('priorityEvent').write(r.callPriorityVmEvent({ boost: 0, vm: vm2, flags: PEF.Always_Sched | PEF.Wait_In_PM, callback: 'cb', refData: 0 }));
      },
      // Restricted to protected mode, which VM 2 never enters: only its time-out would run it.
      scheduleTimed2: (r) => void r.callPriorityVmEvent({ boost: 0, vm: r.vmHandles()[1]!, flags: PEF.Wait_In_PM | PEF.Time_Out, timeoutMs: 1, callback: 'cb', refData: 0 }),
      globalCb: () => {},
      cb: () => {},
    },
  });
}

function threeVms(seen: Seen[], extra: Parameters<typeof dyingWatcher>[1] = {}) {
  return machine({ devices: [dyingWatcher(seen, extra)], config: { vms: 3, timesliceTicks: 1e9 } });
}

describe('destroying a VM: which VM is current at each message', () => {
  it('the dying VM is current for VM_Terminate only; VM_Not_Executeable and Destroy_VM come with another VM current, EBX = the dying VM', () => {
    const seen: Seen[] = [];
    const m = threeVms(seen);
    m.runOps(1, m.trap('watcher', 'boost2'));
    expect(m.vmm.current.id).toBe(2);
    destroyVm(m.vmm, 2);
    expect(seen).toEqual([
      { message: 'VM_Terminate', ebx: 2, current: 2 },
      { message: 'VM_Not_Executeable', ebx: 2, current: 1 },
      { message: 'Destroy_VM', ebx: 2, current: 1 },
    ]);
    // The records say the same: `vm` is the current VM, `targetVm` the dying one.
    expect(m.of('control').filter((r) => r.phase === 'enter').map((r) => [r.message, r.vm, r.targetVm])).toEqual([
      ['VM_Terminate', 2, 2], ['VM_Not_Executeable', 1, 2], ['Destroy_VM', 1, 2],
    ]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a VM destroyed while another runs: all three messages with the running VM current, and no task switch', () => {
    const seen: Seen[] = [];
    const m = threeVms(seen);
    m.runOps(1, m.trap('watcher', 'boost2'));
    destroyVm(m.vmm, 3);
    expect(seen.map((s) => s.current)).toEqual([2, 2, 2]);
    expect(seen.map((s) => s.ebx)).toEqual([3, 3, 3]);
    expect(m.of('taskSwitch').filter((s) => s.from === 2)).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"no task switch before the global events": one a VM_Terminate handler scheduled runs with the dying VM current, then the switch, then VM_Not_Executeable', () => {
    const seen: Seen[] = [];
    const m = threeVms(seen, { VM_Terminate: (r) => void r.scheduleGlobalEvent('globalCb', 0) });
    m.runOps(1, m.trap('watcher', 'boost2'));
    const mark = m.records.length;
    destroyVm(m.vmm, 2);
    const order = m.records.slice(mark).filter((r) => (r.k === 'dispatch' && r.callback === 'watcher.globalCb') || r.k === 'taskSwitch' || (r.k === 'control' && r.phase === 'enter' && r.targetVm === 2));
    expect(order.map((r) => (r.k === 'control' ? r.message : r.k === 'taskSwitch' ? `switch ${r.from}→${r.to}` : `global in VM ${r.vm}`))).toEqual([
      'VM_Terminate', 'global in VM 2', 'switch 2→1', 'VM_Not_Executeable', 'Destroy_VM',
    ]);
    expect(m.violations('taskSwitchBeforeGlobalEvent')).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });
});

describe('destroying a VM: its events and the scheduler', () => {
  it('"Considerable time can elapse between ... VM_Not_Executeable ... and this message": its events are still pending in Destroy_VM (a device may cancel them), and discarded after', () => {
    const seen: Seen[] = [];
    const m = threeVms(seen, { Destroy_VM: (r) => r.cancelVmEvent(r.regs.ebx, r.slot('vmEvent').xchg(0)) });
    m.runOps(1, m.trap('watcher', 'schedule2'));
    const [vmEvent, priorityEvent] = m.of('scheduled').map((r) => r.handle);
    destroyVm(m.vmm, 2);
    expect(m.of('cancel')).toMatchObject([{ outcome: 'cancelled', kind: 'vm', handle: vmEvent }]);
    expect(m.of('discarded')).toMatchObject([{ kind: 'priority', handle: priorityEvent }]);
    expect(m.of('dispatch').filter((r) => r.callback === 'watcher.cb')).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"no longer capable of executing": after VM_Not_Executeable the dying VM is never scheduled, however boosted, and none of its events runs', () => {
    const seen: Seen[] = [];
    const m = threeVms(seen, {
      VM_Not_Executeable(r) {
        // A Time_Critical priority event and a large boost for the dying VM: neither gets it the CPU.
        r.adjustExecPriority(r.regs.ebx, Boost.Critical_Section_Boost);
        r.slot('priorityEvent').write(r.callPriorityVmEvent({ boost: Boost.Time_Critical_Boost, vm: r.regs.ebx, flags: PEF.Always_Sched, callback: 'cb', refData: 0 }));
      },
    });
    m.runOps(1, m.trap('watcher', 'boost2'));
    destroyVm(m.vmm, 2);
    const notExecutableAt = m.of('control').find((r) => r.message === 'VM_Not_Executeable')!.seq;
    m.step(20);
    expect(m.of('taskSwitch').filter((r) => r.seq > notExecutableAt && r.to === 2)).toEqual([]);
    expect(m.records.filter((r) => r.seq > notExecutableAt && r.vm === 2)).toEqual([]);
    expect(m.of('dispatch').filter((r) => r.callback === 'watcher.cb')).toEqual([]);
    expect(m.of('discarded')).toHaveLength(1);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a priority event of the dying VM whose time-out has passed is not run for it either: it waits for Destroy_VM and is discarded', () => {
    const seen: Seen[] = [];
    const m = threeVms(seen);
    m.runOps(1, m.trap('watcher', 'scheduleTimed2'));
    m.runOps(1, m.trap('watcher', 'boost2'));
    expect(m.vmm.current.id).toBe(2);
    expect(m.of('scheduled')).toMatchObject([{ kind: 'priority', targetVm: 2 }]);
    m.vmm.ticks += 1_000_000; // long past the time-out, before any processing point sees it
    destroyVm(m.vmm, 2);
    expect(m.of('dispatch').filter((r) => r.callback === 'watcher.cb')).toEqual([]);
    expect(m.of('discarded')).toMatchObject([{ kind: 'priority' }]);
    expect(m.finish().vmmBugs).toBe(0);
  });
});
