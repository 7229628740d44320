/**
 * The keyboard on IRQ 1. Each scan code is delivered by a global event; a newer key supersedes a
 * pending delivery, which the Hw_Int_Proc cancels with the documented idiom:
 *   xor esi, esi / xchg [pending], esi / VMMcall Cancel_Global_Event
 * and the callback's first act is to zero the saved handle, so a cancel never hits a stale one.
 * The delivery requests the virtual keyboard interrupt for the VM with the focus; the EOI_Proc
 * clears it. Its control procedure follows Set_Device_Focus, and on Destroy_VM of the focus VM
 * cancels the pending delivery (the same idiom) and gives the focus back to the system VM.
 */
import { defineDevice } from '../vmm/device.js';

export interface KeyboardState {
  nextScanCode: number;
  delivered: number;
  superseded: number;
  lastScanCode: number;
  /** The VM with the keyboard focus (0: the system VM). */
  focusVm: number;
  focusChanges: number;
}

export const keyboard = defineDevice<KeyboardState>({
  name: 'keyboard',
  state: () => ({ nextScanCode: 0x1e, delivered: 0, superseded: 0, lastScanCode: 0, focusVm: 0, focusChanges: 0 }),
  control: { Set_Device_Focus: 'setFocus', Destroy_VM: 'destroyVm' },
  irqs: [{ irq: 1, hwIntProc: 'hwInt', virtIntProc: 'virtInt', eoiProc: 'virtEoi', meanIntervalTicks: 4000 }],
  slots: ['pending'],
  entries: ['readPort'],
  procs: {
    hwInt(r) {
      r.takeHardwareRequest(1);
      const irq = r.irqHandle(1);
      const scanCode = r.state.nextScanCode;
      r.state.nextScanCode = scanCode >= 0x39 ? 0x1e : scanCode + 1;
      r.physEoi(irq);
      const old = r.slot('pending').xchg(0);
      if (old !== 0) r.state.superseded++;
      r.cancelGlobalEvent(old);
      const handle = r.callGlobalEvent('deliver', scanCode);
      // Called at once (ESI = 0) or scheduled: either way the saved handle is right.
      if (handle !== 0) r.slot('pending').write(handle);
    },
    deliver(r) {
      r.slot('pending').write(0);
      r.state.lastScanCode = r.regs.edx;
      r.state.delivered++;
      r.setIntRequest(r.state.focusVm || r.sysVm(), r.irqHandle(1));
    },
    virtInt() {},
    setFocus(r) {
      r.state.focusVm = r.regs.ebx;
      r.state.focusChanges++;
    },
    destroyVm(r) {
      if (r.regs.ebx !== r.state.focusVm) return;
      r.state.focusVm = 0;
      r.cancelGlobalEvent(r.slot('pending').xchg(0));
    },
    virtEoi(r) {
      r.clearIntRequest(r.regs.ebx, r.regs.eax);
    },
    readPort(r) {
      r.client.setAlias('AL', r.state.lastScanCode);
    },
  },
});
