/**
 * A serial port on IRQ 4. Its Hw_Int_Proc enables interrupts (STI) after taking the byte, so a
 * higher-priority IRQ (timer, keyboard, disk) can nest inside it: events called from those nest
 * with the re-enter count above zero and are scheduled. Transmit completions are global events
 * a VM's `close` cancels with the zero-then-xchg idiom.
 */
import { defineDevice } from '../vmm/device.js';

export interface SerialState {
  received: number;
  rxEvents: number;
  txScheduled: number;
  txDone: number;
  txCancelled: number;
}

export const serial = defineDevice<SerialState>({
  name: 'serial',
  state: () => ({ received: 0, rxEvents: 0, txScheduled: 0, txDone: 0, txCancelled: 0 }),
  irqs: [{ irq: 4, hwIntProc: 'hwInt', meanIntervalTicks: 2500 }],
  slots: ['tx'],
  entries: ['write', 'close'],
  procs: {
    hwInt(r) {
      r.takeHardwareRequest(4);
      r.state.received++;
      r.sti();
      r.physEoi(r.irqHandle(4));
      r.callGlobalEvent('rxReady', r.state.received);
      r.cli();
    },
    rxReady(r) {
      r.state.rxEvents++;
    },
    write(r) {
      if (r.slot('tx').read() !== 0) return;
      r.slot('tx').write(r.scheduleGlobalEvent('txDone', r.regs.eax));
      r.state.txScheduled++;
    },
    txDone(r) {
      r.slot('tx').write(0);
      r.state.txDone++;
    },
    close(r) {
      const handle = r.slot('tx').xchg(0);
      if (handle !== 0) r.state.txCancelled++;
      r.cancelGlobalEvent(handle);
    },
  },
});
