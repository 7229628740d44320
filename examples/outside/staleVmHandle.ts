/**
 * Outside driver 29 (an event scheduled for a VM that no longer exists): a printer port remembers
 * the VM that last opened it and sends each "ready" interrupt to that VM as a VM event. The
 * driver handles no destruction message: once its owner is destroyed, the next interrupt
 * schedules an event for a VM handle that is no VM (SPEC §2: a VM handle is the address of the
 * VM's control block; `Schedule_VM_Event` takes EBX = a VM). Needs the owner destroyed, then an
 * interrupt.
 *
 * Fixed: `Destroy_VM` forgets the owner (and cancels its pending event with the xchg idiom).
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 7;

interface PrinterState { owner: number; pendingVm: number; ready: number }

export function staleVmHandleScenario(fixed: boolean): Scenario {
  const printer = defineDevice<PrinterState>({
    name: 'lpt',
    state: () => ({ owner: 0, pendingVm: 0, ready: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'ackInt', meanIntervalTicks: 400 }],
    slots: ['ready'],
    control: fixed ? { Destroy_VM: 'onDestroy' } : {},
    entries: ['open', 'write'],
    procs: {
      ackInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.state.owner === 0 || r.slot('ready').read() !== 0) return;
        r.state.pendingVm = r.state.owner;
        r.slot('ready').write(r.scheduleVmEvent(r.state.owner, 'ready', 0));
      },
      ready(r) {
        r.slot('ready').write(0);
        r.state.ready++;
      },
      open(r) {
        r.cli();
        r.state.owner = r.currentVm();
        r.sti();
      },
      write(r) {
        r.currentVm();
      },
      onDestroy(r) {
        if (r.state.owner === r.regs.ebx) r.state.owner = 0;
        if (r.state.pendingVm === r.regs.ebx) r.cancelVmEvent(r.regs.ebx, r.slot('ready').xchg(0));
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-stale-vm-handle (fixed)' : 'outside-stale-vm-handle',
    description: 'an interrupt schedules a VM event for the VM that owned the port, after it was destroyed',
    vms: 2,
    devices: [printer, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    config: { timesliceTicks: 100 },
    lifecycle: [{ atStep: 16, op: 'destroy', vm: 2 }],
    steps: 30,
  });
}

export default staleVmHandleScenario(false);
