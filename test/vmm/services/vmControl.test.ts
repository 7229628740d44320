// VM control (SPEC §2): VMs come and go; "VM 1 is the system VM. It always exists and can never
// be suspended." A destroyed VM's pending events are discarded, and recorded as such.
import { describe, expect, it } from 'vitest';
import { Boost, PEF } from '../../../src/vmm/constants.js';
import { defineDevice } from '../../../src/vmm/device.js';
import { destroyVm } from '../../../src/vmm/services/vmControl.js';
import { testDevice } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

function setup(vms = 3) {
  const dev = testDevice('dev', {
    // EAX = the target VM's id.
    vmEvent: (r) => void r.slot('saved').write(r.scheduleVmEvent(r.vmHandles()[r.regs.eax - 1]!, 'cb', 0)),
    priorityEvent: (r) => void r.callPriorityVmEvent({
      boost: Boost.Low_Pri_Device_Boost, vm: r.vmHandles()[r.regs.eax - 1]!, flags: PEF.Wait_In_PM, callback: 'cb', refData: 0,
    }),
    boostMe: (r) => r.adjustExecPriority(r.currentVm(), Boost.High_Pri_Device_Boost),
    cancelSaved: (r) => r.cancelVmEvent(r.currentVm(), r.slot('saved').xchg(0)),
    endNest: (r) => r.vmmCall('End_Nest_Exec'),
    cb: () => {},
  });
  return machine({ devices: [dev], config: { vms, timesliceTicks: 1e9 } });
}

describe('VM lifecycle', () => {
  it('destroying a VM discards its pending VM and priority events (recorded as discarded), and removes their boosts', () => {
    const m = setup();
    // VM 1 outranks VM 3 even once VM 3 is boosted, so VM 3's events stay pending.
    m.runOps(1, m.trap('dev', 'boostMe'), m.trap('dev', 'vmEvent', 3), m.trap('dev', 'priorityEvent', 3), m.trap('dev', 'priorityEvent', 1));
    expect(m.vmm.current.id).toBe(1);
    expect(m.vm(3).boost).toBe(Boost.Low_Pri_Device_Boost);
    const handles = m.of('scheduled').filter((s) => s.targetVm === 3).map((s) => s.handle);
    expect(destroyVm(m.vmm, 3)).toBe(true);
    expect(m.of('discarded')).toMatchObject(handles.map((handle) => ({ handle, reason: 'vmDestroyed' })));
    expect(m.of('boost').filter((b) => b.targetVm === 3).map((b) => b.delta)).toEqual([Boost.Low_Pri_Device_Boost, -Boost.Low_Pri_Device_Boost]);
    expect(m.of('vmLifecycle')).toMatchObject([{ op: 'destroy', targetVm: 3 }]);
    expect(m.counter.counts.discarded).toBe(2);
    expect(m.vmm.table.live).toBe(1); // VM 1's priority event only
    m.step(5);
    expect(m.of('dispatch').filter((d) => d.targetVm === 3)).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a stale cancel of a discarded event is the device\'s bug (checked handles), not the VMM\'s', () => {
    const m = setup();
    m.runOps(1, m.trap('dev', 'vmEvent', 2));
    destroyVm(m.vmm, 2);
    m.runOps(1, m.trap('dev', 'cancelSaved'));
    expect(m.violations('staleCancel')).toHaveLength(1);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"It always exists": the system VM cannot be destroyed', () => {
    const m = setup();
    expect(destroyVm(m.vmm, 1)).toBe(false);
    expect(m.vm(1).alive).toBe(true);
    expect(m.of('vmLifecycle')).toEqual([]);
    expect(destroyVm(m.vmm, 42)).toBe(false);
  });

  it('destroying the current VM switches away at once: interrupts and callbacks never get a dead VM in EBX', () => {
    const ebx: number[] = [];
    const dev = testDevice('dev', {
      hwInt(r) {
        r.takeHardwareRequest(7);
        r.physEoi(r.irqHandle(7));
        ebx.push(r.regs.ebx);
        r.callGlobalEvent('cb', 0);
      },
      boost2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
      cb: (r) => void ebx.push(r.regs.ebx),
    }, { irq: 7 });
    const m = machine({ devices: [dev], config: { vms: 3, timesliceTicks: 1e9 } });
    m.runOps(1, m.trap('dev', 'boost2'));
    expect(m.vmm.current.id).toBe(2);
    const dead = m.handle(2);
    destroyVm(m.vmm, 2);
    expect(m.vmm.current.id).toBe(1);
    const destroyAt = m.of('vmLifecycle')[0]!.seq;
    // The switch comes before VM_Not_Executeable (test/vmm/destroyOrder.test.ts), so before the record.
    expect(m.of('taskSwitch').filter((s) => s.from === 2)).toMatchObject([{ from: 2, to: 1, ctx: 'vm', reenter: 0 }]);
    m.choices.irqAt(m.source('dev', 7), 'vm');
    m.step(3);
    expect(ebx).toEqual([m.handle(1), m.handle(1)]);
    expect(ebx).not.toContain(dead);
    expect(m.of('clientOp').filter((r) => r.seq > destroyAt).every((r) => r.vm === 1)).toBe(true);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"the system does not switch tasks before calling the procedure": a global event a VM_Terminate handler scheduled runs before the switch away from the dying VM, with that VM (still alive) in EBX', () => {
    const ran: { ebx: number; alive: boolean }[] = [];
    const dev = defineDevice<Record<string, number>>({
      name: 'dev',
      state: () => ({}),
      control: { VM_Terminate: 'onTerminate' },
      entries: ['boost2'],
      procs: {
        onTerminate: (r) => void r.scheduleGlobalEvent('cb', 0),
        boost2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
        cb: (r) => void ran.push({ ebx: r.regs.ebx, alive: r.vmHandles().includes(r.regs.ebx) }),
      },
    });
    const m = machine({ devices: [dev], config: { vms: 3, timesliceTicks: 1e9 } });
    m.runOps(1, m.trap('dev', 'boost2'));
    expect(m.vmm.current.id).toBe(2);
    destroyVm(m.vmm, 2);
    expect(ran).toEqual([{ ebx: m.handle(2), alive: true }]);
    expect(m.vmm.current.id).toBe(1);
    expect(m.violations('taskSwitchBeforeGlobalEvent')).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a created VM gets the next id and a fresh handle, and can be scheduled for', () => {
    const m = setup(2);
    const vm = m.vmm.createVm();
    expect(vm.id).toBe(3);
    expect(vm.handle).not.toBe(m.handle(2));
    expect(m.of('vmLifecycle')).toMatchObject([{ op: 'create', targetVm: 3 }]);
    m.runOps(1, m.trap('dev', 'vmEvent', 3));
    expect(m.of('scheduled')).toMatchObject([{ targetVm: 3 }]);
  });

  it('End_Nest_Exec without Begin_Nest_Exec is a device bug', () => {
    const m = setup();
    m.runOps(1, m.trap('dev', 'endNest'));
    expect(m.violations('nestExecUnbalanced')).toHaveLength(1);
  });
});
