// System_Control messages (SPEC §5b): "the VMM sends it System_Control messages ... with EBX = the
// VM concerned. Control messages run in ring 0 in the vmm context (not at interrupt time), so
// they are preemption points like any device code".
import { describe, expect, it } from 'vitest';
import { CONTROL_MESSAGE, type ControlMessage } from '../../src/vmm/constants.js';
import { setFocus } from '../../src/vmm/control.js';
import { defineDevice } from '../../src/vmm/device.js';
import { destroyVm, shutdown } from '../../src/vmm/services/vmControl.js';
import { vmIdFromHandle } from '../../src/vmm/vm.js';
import { ackIrq, testDevice } from '../support/devices.js';
import { machine } from '../support/machine.js';

const ALL = Object.keys(CONTROL_MESSAGE) as ControlMessage[];

/** A device that handles every message and notes "message vmN" (checking EAX on the way). */
function listener(heard: string[], extra: Record<string, (r: import('../support/devices.js').TestRing0) => void> = {}) {
  return defineDevice<Record<string, number>>({
    name: 'listener',
    state: () => ({}),
    control: Object.fromEntries(ALL.map((m) => [m, 'onControl'])),
    entries: ['suspend2', 'resume2', 'schedule2', 'suspend2Typed', 'resume2Typed'],
    slots: ['saved'],
    procs: {
      onControl(r) {
        const message = ALL.find((m) => CONTROL_MESSAGE[m] === r.regs.eax)!;
        heard.push(`${message} vm${vmIdFromHandle(r.regs.ebx)}`);
        extra[message]?.(r);
      },
      suspend2: (r) => void (r.regs.ebx = r.vmHandles()[1]!, r.vmmCall('Suspend_VM')),
      resume2: (r) => void (r.regs.ebx = r.vmHandles()[1]!, r.vmmCall('Resume_VM')),
      suspend2Typed: (r) => r.suspendVm(r.vmHandles()[1]!),
      resume2Typed: (r) => r.resumeVm(r.vmHandles()[1]!),
      schedule2: (r) => void r.slot('saved').write(r.scheduleVmEvent(r.vmHandles()[1]!, 'cb', 0)),
      cb: () => {},
    },
  });
}

describe('System_Control messages', () => {
  it('"Sys_Critical_Init, Device_Init, Init_Complete (boot, system VM), Sys_VM_Init, Create_VM, VM_Critical_Init, VM_Init (VM creation)", EAX = the message, EBX = the VM', () => {
    const heard: string[] = [];
    const m = machine({ devices: [listener(heard)] });
    expect(heard).toEqual([
      'Sys_Critical_Init vm1', 'Device_Init vm1', 'Init_Complete vm1', 'Sys_VM_Init vm1',
      'Create_VM vm2', 'VM_Critical_Init vm2', 'VM_Init vm2',
    ]);
    expect(m.counter.counts.controlMessages).toBe(7);
    m.vmm.createVm();
    expect(heard.slice(7)).toEqual(['Create_VM vm3', 'VM_Critical_Init vm3', 'VM_Init vm3']);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('r.suspendVm(vm) and r.resumeVm(vm) are Suspend_VM and Resume_VM with EBX = the VM: the same messages and the same records as the raw calls', () => {
    const runs = (['', 'Typed'] as const).map((how) => {
      const heard: string[] = [];
      const m = machine({ devices: [listener(heard)] });
      heard.length = 0;
      const mark = m.mark();
      m.runOps(1, m.trap('listener', `suspend2${how}`), m.trap('listener', `resume2${how}`));
      // The traps differ only in the entry they name.
      return { heard, records: m.since(mark).filter((r) => r.k !== 'clientOp').map(({ seq: _seq, ...record }) => JSON.stringify(record)) };
    });
    expect(runs[0]!.heard).toEqual(['VM_Suspend vm2', 'VM_Resume vm2']);
    expect(runs[1]!.heard).toEqual(runs[0]!.heard);
    expect(runs[1]!.records).toEqual(runs[0]!.records);
  });

  it('"VM_Suspend, VM_Resume", "Set_Device_Focus", "Sys_VM_Terminate, System_Exit (shutdown)"', () => {
    const heard: string[] = [];
    const m = machine({ devices: [listener(heard)] });
    heard.length = 0;
    m.runOps(1, m.trap('listener', 'suspend2'), m.trap('listener', 'resume2'));
    setFocus(m.vmm, 2);
    shutdown(m.vmm);
    // Sys_VM_Terminate: "The system sends this message only after all other virtual machines have terminated".
    expect(heard).toEqual([
      'VM_Suspend vm2', 'VM_Resume vm2', 'Set_Device_Focus vm2',
      'VM_Terminate vm2', 'VM_Not_Executeable vm2', 'Destroy_VM vm2', 'Sys_VM_Terminate vm1', 'System_Exit vm1',
    ]);
    expect(m.vmm.vms.filter((vm) => vm.alive).map((vm) => vm.id)).toEqual([1]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('the shutdown destroys the VMs still alive as a VM destroyed during the run is: their events are discarded after Destroy_VM, which may cancel them', () => {
    const heard: string[] = [];
    const m = machine({ devices: [listener(heard)], config: { vms: 3 } });
    m.runOps(1, m.trap('listener', 'schedule2'));
    heard.length = 0;
    shutdown(m.vmm);
    expect(heard).toEqual([
      'VM_Terminate vm2', 'VM_Not_Executeable vm2', 'Destroy_VM vm2',
      'VM_Terminate vm3', 'VM_Not_Executeable vm3', 'Destroy_VM vm3', 'Sys_VM_Terminate vm1', 'System_Exit vm1',
    ]);
    expect(m.of('discarded')).toMatchObject([{ kind: 'vm', reason: 'vmDestroyed' }]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('interrupts per message as the DDK gives them: disabled for Sys_Critical_Init ("Hardware interrupts are disabled") and VM_Critical_Init ("Interrupts are disabled"), enabled for the rest (Device_Init: "Hardware interrupts are enabled"; System_Exit: "Interrupts remain enabled")', () => {
    const enabled: string[] = [];
    const ALL_ON = Object.fromEntries(ALL.map((message) => [message, 'note']));
    const dev = testDevice('dev', {
      note(r) {
        const message = ALL.find((m) => CONTROL_MESSAGE[m] === r.regs.eax)!;
        // An IRQ raised at every preemption point shows whether one is taken here.
        const before = r.state.irqs ?? 0;
        r.currentVm();
        enabled.push(`${message} ${(r.state.irqs ?? 0) > before ? 'on' : 'off'}`);
      },
      hwInt(r) {
        ackIrq(r, 5);
        r.state.irqs = (r.state.irqs ?? 0) + 1;
      },
    }, { irq: 5 });
    const m = machine({ devices: [{ ...dev, control: ALL_ON }], choices: { irqs: [1], cycle: true } });
    expect(enabled).toEqual([
      'Sys_Critical_Init off', 'Device_Init on', 'Init_Complete on', 'Sys_VM_Init on',
      'Create_VM on', 'VM_Critical_Init off', 'VM_Init on',
    ]);
    enabled.length = 0;
    shutdown(m.vmm);
    expect(enabled).toEqual(['VM_Terminate on', 'VM_Not_Executeable on', 'Destroy_VM on', 'Sys_VM_Terminate on', 'System_Exit on']);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"Destroy_VM, VM_Terminate, VM_Not_Executeable (VM destruction)": sent before the VM\'s events are discarded, so a device can cancel them there', () => {
    const heard: string[] = [];
    const m = machine({
      devices: [listener(heard, { Destroy_VM: (r) => r.cancelVmEvent(r.regs.ebx, r.slot('saved').xchg(0)) })],
      config: { vms: 3 },
    });
    heard.length = 0;
    m.runOps(1, m.trap('listener', 'schedule2'));
    destroyVm(m.vmm, 2);
    expect(heard).toEqual(['VM_Terminate vm2', 'VM_Not_Executeable vm2', 'Destroy_VM vm2']);
    expect(m.of('cancel')).toMatchObject([{ outcome: 'cancelled', kind: 'vm' }]);
    expect(m.of('discarded')).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"not at interrupt time, so they are preemption points like any device code": a synchronous service is fine there, and an IRQ can cut in', () => {
    const dev = testDevice('dev', {
      hwInt: (r) => ackIrq(r, 5),
      focus(r) {
        r.beginCriticalSection();
        r.endCriticalSection();
      },
    }, { irq: 5, entries: [] });
    const m = machine({ devices: [{ ...dev, control: { Set_Device_Focus: 'focus' } }] });
    m.choices.irqAt(m.source('dev', 5), 'ring0');
    setFocus(m.vmm, 2);
    expect(m.violations()).toEqual([]);
    expect(m.of('irqEnter')).toMatchObject([{ irq: 5, nested: true, reenter: 1 }]);
    expect(m.of('critical').map((r) => r.op)).toEqual(['claim', 'release']);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a device naming an unknown procedure for a message is refused at definition', () => {
    expect(() => defineDevice({ name: 'x', state: () => ({}), control: { Destroy_VM: 'nope' }, procs: {} })).toThrow(/Destroy_VM/);
  });
});
