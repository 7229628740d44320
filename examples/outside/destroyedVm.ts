/**
 * Outside driver 8 (a VM event for a VM being destroyed): a pointer device sends each motion
 * interrupt to the focus VM as a VM event and keeps the handle per VM. Its `Destroy_VM` handler
 * cancels the dying VM's event first and moves the focus away after. An interrupt that lands at
 * the cancel (a preemption point, SPEC §5b: "a device that cancels a pending event there races
 * its own interrupt handler") schedules a new event for the dying VM, still the focus; the VMM
 * discards it with the VM, and the saved handle is left behind. The next `reset` cancels it:
 * a stale cancel. Needs one interrupt at one point of `Destroy_VM`.
 *
 * Fixed: the focus moves to the system VM before the cancel (what VKD_Destroy_VM does).
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 12;

interface PointerState { owner: number; handle: Record<string, number>; moves: number }

export function destroyedVmScenario(fixed: boolean): Scenario {
  const pointer = defineDevice<PointerState>({
    name: 'pointer',
    state: () => ({ owner: 0, handle: {}, moves: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'motion', meanIntervalTicks: 150 }],
    control: { Sys_Critical_Init: 'onFocus', Set_Device_Focus: 'onFocus', Destroy_VM: 'onDestroy' },
    entries: ['reset', 'query'],
    procs: {
      motion(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        const owner = r.state.owner;
        if ((r.state.handle[owner] ?? 0) !== 0) return; // already requested
        r.state.handle[owner] = r.scheduleVmEvent(owner, 'deliver', 0);
      },
      deliver(r) {
        r.state.handle[r.regs.ebx] = 0;
        r.state.moves++;
      },
      onFocus(r) {
        r.state.owner = r.regs.ebx;
      },
      onDestroy(r) {
        const dying = r.regs.ebx;
        if (fixed && dying === r.state.owner) r.state.owner = r.sysVm();
        const handle = r.state.handle[dying] ?? 0;
        r.state.handle[dying] = 0;
        r.cancelVmEvent(dying, handle);
        if (!fixed && dying === r.state.owner) r.state.owner = r.sysVm();
      },
      reset(r) {
        for (const vm of Object.keys(r.state.handle)) {
          const handle = r.state.handle[vm]!;
          r.state.handle[vm] = 0;
          r.cancelVmEvent(Number(vm), handle);
        }
      },
      query(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-destroyed-vm (fixed)' : 'outside-destroyed-vm',
    description: 'Destroy_VM cancels before moving the focus; an interrupt in between schedules for the dying VM',
    vms: 3,
    devices: [pointer, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    lifecycle: [{ atStep: 4, op: 'focus', vm: 3 }, { atStep: 14, op: 'destroy', vm: 3 }],
    steps: 30,
  });
}

export default destroyedVmScenario(false);
