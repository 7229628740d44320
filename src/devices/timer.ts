/**
 * The system timer on IRQ 0. Its Hw_Int_Proc ends the physical interrupt, requests the virtual
 * timer interrupt for the system VM, and calls a global event to count the tick: when the timer
 * interrupted the VMM, that event is scheduled and runs at the next event-processing point. The
 * virtual PIC is level-triggered, so its EOI_Proc clears the request once the system VM's
 * handler has ended the interrupt (VID_EOI_Proc: it "typically calls the
 * VPICD_Clear_Int_Request ... service").
 */
import { defineDevice } from '../vmm/device.js';

export interface TimerState {
  hardwareTicks: number;
  eventTicks: number;
  virtualTicks: number;
}

export const timer = defineDevice<TimerState>({
  name: 'timer',
  state: () => ({ hardwareTicks: 0, eventTicks: 0, virtualTicks: 0 }),
  irqs: [{ irq: 0, hwIntProc: 'hwInt', virtIntProc: 'virtInt', eoiProc: 'virtEoi', meanIntervalTicks: 900 }],
  procs: {
    hwInt(r) {
      r.takeHardwareRequest(0);
      const irq = r.irqHandle(0);
      r.physEoi(irq);
      r.state.hardwareTicks++;
      r.setIntRequest(r.sysVm(), irq);
      r.callGlobalEvent('tick', r.state.hardwareTicks);
    },
    virtInt(r) {
      r.state.virtualTicks++;
    },
    virtEoi(r) {
      r.clearIntRequest(r.regs.ebx, r.regs.eax);
    },
    tick(r) {
      r.state.eventTicks++;
    },
  },
});
