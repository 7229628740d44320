/**
 * A serial port on IRQ 4. Its Hw_Int_Proc enables interrupts (STI) after taking the byte, so any
 * other IRQ can nest inside it: events called from those nest with the re-enter count above zero
 * and are scheduled. Transmit completions are global events a VM's `close` cancels with the
 * zero-then-xchg idiom.
 *
 * Received bytes are buffered for the VM that owns the port, one virtual interrupt per byte, the
 * way the virtual COM device works: the request stays set while bytes are waiting, and the
 * EOI_Proc clears it only when the buffer is empty. The virtual PIC is level-triggered
 * (VPICD_Set_Int_Request: "once a virtual EOI occurs, another interrupt will be simulated
 * immediately unless the virtual interrupt request is cleared"), so each EOI brings the next byte.
 *
 * The handler re-enters itself at most once. After its EOI the UART may interrupt again (the next
 * byte); a byte that arrives while the handler runs is taken by a short nested pass that keeps
 * interrupts disabled, as a 16550 driver's receive loop drains the FIFO instead of enabling
 * interrupts again at every level. Without that, an interrupt storm nests the handler inside
 * itself until the ring-0 stack overflows (reenterOverflow).
 */
import { defineDevice, type Ring0 } from '../vmm/device.js';

const IRQ = 4;
/** Bytes the virtual receive buffer holds; more are overruns (lost). */
const BUFFER_BYTES = 16;

export interface SerialState {
  received: number;
  rxEvents: number;
  txScheduled: number;
  txDone: number;
  txCancelled: number;
  /** The VM that owns the port (the last to write), 0 = the system VM. */
  ownerVm: number;
  buffered: number;
  overruns: number;
  bytesRead: number;
  irets: number;
  iretTimeouts: number;
  /** true while the outer Hw_Int_Proc runs with interrupts enabled. */
  inHandler: boolean;
  /** Bytes taken by a nested pass of the handler (interrupts stayed disabled). */
  nestedBytes: number;
}

function owner(r: Ring0<SerialState>): number {
  return r.vmHandles().includes(r.state.ownerVm) ? r.state.ownerVm : r.sysVm();
}

/** Buffers one received byte and requests a virtual interrupt for the port's owner. */
function receiveByte(r: Ring0<SerialState>): void {
  if (r.state.buffered < BUFFER_BYTES) r.state.buffered++;
  else r.state.overruns++;
  r.setIntRequest(owner(r), r.irqHandle(IRQ));
}

export const serial = defineDevice<SerialState>({
  name: 'serial',
  state: () => ({
    received: 0, rxEvents: 0, txScheduled: 0, txDone: 0, txCancelled: 0,
    ownerVm: 0, buffered: 0, overruns: 0, bytesRead: 0, irets: 0, iretTimeouts: 0, inHandler: false, nestedBytes: 0,
  }),
  irqs: [{ irq: IRQ, hwIntProc: 'hwInt', eoiProc: 'virtEoi', iretProc: 'virtIret', meanIntervalTicks: 2500 }],
  slots: ['tx'],
  entries: ['write', 'close'],
  control: { Destroy_VM: 'destroyVm' },
  procs: {
    hwInt(r) {
      r.takeHardwareRequest(IRQ);
      r.state.received++;
      if (r.state.inHandler) {
        // A byte while our own handler runs: take it with interrupts still disabled.
        r.state.nestedBytes++;
        receiveByte(r);
        r.physEoi(r.irqHandle(IRQ));
        return;
      }
      r.state.inHandler = true;
      r.sti();
      r.physEoi(r.irqHandle(IRQ));
      receiveByte(r);
      r.callGlobalEvent('rxReady', r.state.received);
      r.cli();
      r.state.inHandler = false;
    },
    virtEoi(r) {
      // The VM's handler read one byte and ended the interrupt: the request stays while more wait.
      if (r.state.buffered > 0) {
        r.state.buffered--;
        r.state.bytesRead++;
      }
      if (r.state.buffered === 0) r.clearIntRequest(r.regs.ebx, r.regs.eax);
    },
    virtIret(r) {
      if (r.carry) r.state.iretTimeouts++;
      else r.state.irets++;
    },
    destroyVm(r) {
      if (r.state.ownerVm === r.regs.ebx) r.state.ownerVm = 0;
    },
    rxReady(r) {
      r.state.rxEvents++;
    },
    write(r) {
      r.state.ownerVm = r.currentVm();
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
