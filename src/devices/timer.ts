/**
 * The system timer on IRQ 0. Its Hw_Int_Proc ends the physical interrupt, requests the virtual
 * timer interrupt for the system VM, and calls a global event to count the tick: when the timer
 * interrupted the VMM, that event is scheduled and runs at the next event-processing point.
 */
import { defineDevice } from '../vmm/device.js';

export interface TimerState {
  hardwareTicks: number;
  eventTicks: number;
}

export const timer = defineDevice<TimerState>({
  name: 'timer',
  state: () => ({ hardwareTicks: 0, eventTicks: 0 }),
  irqs: [{ irq: 0, hwIntProc: 'hwInt', virtIntProc: 'virtInt', meanIntervalTicks: 900 }],
  procs: {
    hwInt(r) {
      r.takeHardwareRequest(0);
      const irq = r.irqHandle(0);
      r.physEoi(irq);
      r.state.hardwareTicks++;
      r.setIntRequest(r.sysVm(), irq);
      r.callGlobalEvent('tick', r.state.hardwareTicks);
    },
    virtInt() {},
    tick(r) {
      r.state.eventTicks++;
    },
  },
});
