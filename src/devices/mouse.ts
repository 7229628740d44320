/**
 * A mouse on IRQ 12, written like Microsoft's VMD: the Hw_Int_Proc guards with its saved handle
 * (one delivery pending at a time) and asks for a time-critical priority event for the VM that
 * owns the mouse, to run once that VM has interrupts enabled:
 *   Call_Priority_VM_Event(Time_Critical_Boost, PEF_Wait_For_STI | PEF_Always_Sched)
 * The boost makes the scheduler switch to that VM soon; the callback zeroes the saved handle
 * first and requests the virtual mouse interrupt; the EOI_Proc clears it. Call_Priority_VM_Event
 * takes its time-out in EDI, which a Hw_Int_Proc must preserve: saved and restored around it. The
 * Mask_Change_Proc notes a VM masking the mouse (VID_Mask_Change_Proc: "to detect contention").
 * The mouse follows the focus (Set_Device_Focus), and on Destroy_VM cancels a delivery still
 * pending for the dying VM.
 */
import { Boost, PEF } from '../vmm/constants.js';
import { defineDevice } from '../vmm/device.js';

export interface MouseState {
  /** Index (among live VMs) of the VM that owns the mouse, moved by `focus`. */
  ownerIndex: number;
  /** The VM the pending delivery is for. */
  pendingVm: number;
  moves: number;
  coalesced: number;
  delivered: number;
  maskChanges: number;
}

export const mouse = defineDevice<MouseState>({
  name: 'mouse',
  state: () => ({ ownerIndex: 1, pendingVm: 0, moves: 0, coalesced: 0, delivered: 0, maskChanges: 0 }),
  irqs: [{ irq: 12, hwIntProc: 'hwInt', virtIntProc: 'virtInt', eoiProc: 'virtEoi', maskChangeProc: 'maskChange', meanIntervalTicks: 3500 }],
  slots: ['pending'],
  entries: ['focus'],
  control: { Set_Device_Focus: 'setFocus', Destroy_VM: 'destroyVm' },
  procs: {
    hwInt(r) {
      r.takeHardwareRequest(12);
      r.physEoi(r.irqHandle(12));
      r.state.moves++;
      const vms = r.vmHandles();
      // A delivery pending for a VM since destroyed was discarded with it: forget its handle.
      if (r.slot('pending').read() !== 0 && vms.includes(r.state.pendingVm)) {
        r.state.coalesced++;
        return;
      }
      const owner = vms[r.state.ownerIndex % vms.length]!;
      r.state.pendingVm = owner;
      const savedEdi = r.regs.edi; // push edi
      const handle = r.callPriorityVmEvent({
        boost: Boost.Time_Critical_Boost, vm: owner, flags: PEF.Wait_For_STI | PEF.Always_Sched,
        callback: 'deliver', refData: r.state.moves,
      });
      r.regs.edi = savedEdi; // pop edi
      r.slot('pending').write(handle);
    },
    deliver(r) {
      r.slot('pending').write(0);
      r.state.delivered++;
      r.setIntRequest(r.regs.ebx, r.irqHandle(12));
    },
    virtInt() {},
    virtEoi(r) {
      r.clearIntRequest(r.regs.ebx, r.regs.eax);
    },
    maskChange(r) {
      r.state.maskChanges++;
    },
    setFocus(r) {
      r.state.ownerIndex = Math.max(0, r.vmHandles().indexOf(r.regs.ebx));
    },
    destroyVm(r) {
      if (r.state.pendingVm !== r.regs.ebx) return;
      r.cancelPriorityVmEvent(r.slot('pending').xchg(0));
    },
    focus(r) {
      r.state.ownerIndex = r.regs.eax;
    },
  },
});
