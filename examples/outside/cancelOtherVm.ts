/**
 * Outside driver 28 (a cancel in `VM_Not_Executeable` of an event that belongs to another VM): a
 * sound card sends its "buffer done" notification to the focus VM as a VM event, keeping one
 * saved handle. Its `VM_Not_Executeable` handler cancels "the dying VM's notification" with EBX
 * = the dying VM, without looking at whom the pending one is for. "`Cancel_VM_Event`'s EBX must
 * be the VM the event was scheduled for; a different one is a device bug (reported, nothing
 * cancelled)" (SPEC §4). Needs a notification pending for the focus VM when another VM dies.
 *
 * Fixed: the handler keeps the VM beside the handle and cancels only that VM's event.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 5;

interface SoundState { focus: number; notifyVm: number; notified: number }

export function cancelOtherVmScenario(fixed: boolean): Scenario {
  const sound = defineDevice<SoundState>({
    name: 'sb16',
    state: () => ({ focus: 0, notifyVm: 0, notified: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'bufferDone', meanIntervalTicks: 300 }],
    slots: ['notify'],
    control: { Sys_Critical_Init: 'onFocus', Set_Device_Focus: 'onFocus', VM_Not_Executeable: 'onNotExecuteable' },
    entries: ['play'],
    procs: {
      bufferDone(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.slot('notify').read() !== 0) return;
        r.state.notifyVm = r.state.focus;
        r.slot('notify').write(r.scheduleVmEvent(r.state.focus, 'notify', 0));
      },
      notify(r) {
        r.slot('notify').write(0);
        r.state.notified++;
      },
      onFocus(r) {
        r.state.focus = r.regs.ebx;
      },
      onNotExecuteable(r) {
        const dying = r.regs.ebx;
        if (r.state.focus === dying) r.state.focus = r.sysVm();
        if (fixed && r.state.notifyVm !== dying) return;
        r.cancelVmEvent(dying, r.slot('notify').xchg(0));
      },
      play(r) {
        r.currentVm();
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-cancel-other-vm (fixed)' : 'outside-cancel-other-vm',
    description: "VM_Not_Executeable cancels the saved VM event with the dying VM's handle, whatever VM it is for",
    vms: 3,
    devices: [sound, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    config: { timesliceTicks: 100 },
    lifecycle: [{ atStep: 2, op: 'focus', vm: 2 }, { atStep: 20, op: 'destroy', vm: 3 }],
    steps: 30,
  });
}

export default cancelOtherVmScenario(false);
