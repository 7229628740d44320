/**
 * VAD, the PS/2 auxiliary (mouse) port device that ships inside VKD in the Windows 3.1 DDK: its
 * interrupt logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), file
 * DDK/386/VKD/VAD.ASM. VAD takes IRQ 12 (shared), queues the mouse bytes in its Hw_Int_Proc, ends
 * the physical interrupt at once, and hands the bytes one virtual interrupt at a time to the VM
 * with the mouse focus; the VM's read of port 60h takes a byte and clears the request, its IRET
 * (or the IRET time-out) lets the next one be requested. It schedules no event. Procedures, each
 * with the label it follows:
 *
 * - `VAD_INT` (`BeginProc VAD_INT`): the Hw_Int_Proc. No aux data: `stc` (`VAD_INT_Not_Aux`, the
 *   next sharer). `VAD_Exiting`: `VPICD_Phys_EOI` and eat the byte. Otherwise the byte is queued
 *   by packets of 3: a packet's first byte with fewer than 2 free entries throws the packet away
 *   (`VAD_Toss_Count` = 2); then `VPICD_Phys_EOI` and `VAD_Request_Int` (`VAD_Int_Was_Ours`).
 * - `VAD_Request_Int`: nothing queued, or `VAD_IRET_Pending` or `VAD_Requested`: nothing. Else both
 *   flags set, `VAD_VM_Requesting` = `VAD_Focus`, `VPICD_Set_Int_Request` for it.
 * - `VAD_IRET` (the IRET_Proc, also on the 100 ms time-out, `VAD_Int_Time_Out`): `VAD_IRET_Pending`
 *   = FALSE, then `VAD_Request_Int`.
 * - `VAD_Read_Data` (VKD's port 60h read asks it first): `cli`; `VAD_Test_Data_Avail` (the reader
 *   is `VAD_VM_Requesting`, the queue is not empty, the aux IRQ is in service in the VM); then the
 *   byte is taken, `VPICD_Clear_Int_Request`, `VAD_Requested` = FALSE.
 * - `VAD_Device_Init` (control message Device_Init): only its `mov [VAD_Focus], ebx` (EBX = the
 *   system VM); the rest (the IRQ descriptor, the BIOS hooks) is the device spec or left out.
 * - `VAD_Set_Focus` (control message Set_Device_Focus): `xchg [VAD_Focus], ebx`; if the old owner
 *   has the request (`VPICD_Get_Complete_Status`, `VPICD_Stat_Virt_Dev_Req`): clear it, set it for
 *   the new one, `VAD_VM_Requesting` = the new one ("Transfering AUX interrupt").
 * - `VAD_Destroy_VM` (control message Destroy_VM): if a request is pending for the dying VM: clear
 *   it, `VAD_Requested` = `VAD_IRET_Pending` = FALSE, `VAD_Focus` = the system VM, `VAD_Request_Int`
 *   ("PS/2 Aux interrupt WAS requested for destroyed VM").
 * - `VAD_System_Exit` (control message System_Exit): `VAD_Exiting`, the queue emptied,
 *   `VPICD_Clear_Int_Request` for the system VM.
 * - `VAD_Virt_Int`, `VAD_Virt_EOI`: the model's own, see below.
 *
 * Left out: the INT 15h C2h BIOS emulation (`VAD_Int_15_Emulation`, `VAD_PM_Int_15_Emulation`,
 * `VAD_BIOS_Far_Call`), the 8042 command path (`VAD_Read_Command`, `VAD_Write_Command`),
 * `VAD_Create_VM` (per-VM far-call address), and `VAD_System_Exit`'s INT 15h resets in nested
 * execution (shutdown runs with interrupts disabled here).
 *
 * What the model changes: `VPICD_Get_Status` and `VPICD_Get_Complete_Status` are not services of
 * the model. Their answers are the port's own record: the request (`virtDevReqFor`, kept by every
 * Set / Clear_Int_Request the port makes), and the aux IRQ in service in a VM (`inServiceFor`, set
 * by a Virt_Int_Proc and cleared by an EOI_Proc that the model adds and that only keep this
 * record). `VAD_Test_Data_Avail`'s second test (the keyboard IRQ not in service) always holds: no
 * keyboard device runs here. Set_Device_Focus's EDX (the device ID) is taken as 0, a focus change
 * for every device. VAD's descriptor names no EOI_Proc, and VFINTD.ASM calls its own (`VPICD_Phys_EOI`,
 * `VPICD_Clear_Int_Request`) VPICD's "default processing"; the model has no default EOI
 * procedure (SPEC §6 names none), so here a VM's EOI clears no request: only `VAD_Read_Data`
 * does, which is what `VAD_Requested` relies on. A VM that reads port 60h before its EOI, as a
 * mouse handler does, sees no difference.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vad.ts
 *   npx vmmsim explore examples/real/vad.ts --iterations 2000
 */
import { VPICD_OPT } from '../../src/vmm/constants.js';
import { defineScenario, type RunView } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { timer } from '../../src/devices/timer.js';

const IRQ = 12;
/** VAD_Q_Length (a power of 2) and VAD_Int_Time_Out (ms). */
const VAD_Q_LENGTH = 32;
const VAD_INT_TIME_OUT_MS = 100;

export interface VadState {
  /** VAD_Queue, VAD_Q_Head, VAD_Q_Tail, VAD_Q_Count; the bytes are numbered 1, 2, 3... by the mouse. */
  queue: number[];
  qHead: number;
  qTail: number;
  qCount: number;
  packetCount: number;
  tossCount: number;
  nextByte: number;
  exiting: boolean;
  /** VAD_Requested, VAD_IRET_Pending, VAD_VM_Requesting, VAD_Focus. */
  requested: boolean;
  iretPending: boolean;
  vmRequesting: number;
  focus: number;
  /** VPICD_Stat_Virt_Dev_Req's VM and VPICD_Stat_In_Service's VM (model notes in the header). */
  virtDevReqFor: number;
  inServiceFor: number;
  bytesRead: number;
  bytesTossed: number;
  lastRead: number;
  outOfOrder: number;
}

function setRequest(r: Ring0<VadState>, vm: number): void {
  r.setIntRequest(vm, r.irqHandle(IRQ));
  r.state.virtDevReqFor = vm;
}

function clearRequest(r: Ring0<VadState>, vm: number): void {
  r.clearIntRequest(vm, r.irqHandle(IRQ));
  if (r.state.virtDevReqFor === vm) r.state.virtDevReqFor = 0;
}

/** VAD_Request_Int. */
function requestInt(r: Ring0<VadState>): void {
  const s = r.state;
  if (s.qCount === 0 || s.iretPending || s.requested) return;
  s.requested = true;
  s.iretPending = true;
  s.vmRequesting = s.focus;
  setRequest(r, s.focus);
}

/** VAD_P_Enqueue. */
function enqueue(s: VadState, byte: number): void {
  s.qCount++;
  s.queue[s.qHead] = byte;
  s.qHead = (s.qHead + 1) & (VAD_Q_LENGTH - 1);
}

export const vad = defineDevice<VadState>({
  name: 'VAD',
  state: () => ({
    queue: Array.from({ length: VAD_Q_LENGTH }, () => 0), qHead: 0, qTail: 0, qCount: 0, packetCount: 0, tossCount: 0, nextByte: 1,
    exiting: false, requested: false, iretPending: false, vmRequesting: 0, focus: 0, virtDevReqFor: 0, inServiceFor: 0,
    bytesRead: 0, bytesTossed: 0, lastRead: 0, outOfOrder: 0,
  }),
  irqs: [{
    irq: IRQ, options: VPICD_OPT.Can_Share, hwIntProc: 'VAD_INT', virtIntProc: 'VAD_Virt_Int', eoiProc: 'VAD_Virt_EOI', iretProc: 'VAD_IRET',
    iretTimeoutMs: VAD_INT_TIME_OUT_MS, meanIntervalTicks: 150,
  }],
  control: { Device_Init: 'VAD_Device_Init', Set_Device_Focus: 'VAD_Set_Focus', Destroy_VM: 'VAD_Destroy_VM', System_Exit: 'VAD_System_Exit' },
  entries: ['VAD_Read_Data'],
  procs: {
    VAD_INT(r) {
      if (!r.takeHardwareRequest(IRQ)) return false; // VAD_INT_Not_Aux: stc
      const s = r.state;
      const byte = s.nextByte++;
      if (s.exiting) { // VAD_INT_Eat_Data
        r.physEoi(r.irqHandle(IRQ));
        return true;
      }
      if (++s.packetCount >= 3) {
        s.packetCount = 0;
        if (s.qCount < VAD_Q_LENGTH - 2) enqueue(s, byte);
        else { s.tossCount = 2; s.bytesTossed++; } // "throw it and next 2 bytes away"
      } else if (s.tossCount !== 0) {
        s.tossCount--;
        s.bytesTossed++;
      } else {
        enqueue(s, byte);
      }
      r.physEoi(r.irqHandle(IRQ)); // VAD_Int_Was_Ours
      requestInt(r);
      return true;
    },
    VAD_IRET(r) {
      r.state.iretPending = false;
      requestInt(r);
    },
    VAD_Read_Data(r) {
      r.cli();
      const s = r.state;
      const vm = r.currentVm();
      // VAD_Test_Data_Avail
      if (vm === s.vmRequesting && s.qCount > 0 && s.inServiceFor === vm) {
        const byte = s.queue[s.qTail]!;
        s.qCount--;
        s.qTail = (s.qTail + 1) & (VAD_Q_LENGTH - 1);
        if (byte < s.lastRead) s.outOfOrder++;
        s.lastRead = byte;
        s.bytesRead++;
        clearRequest(r, vm);
        s.requested = false;
      }
      r.sti();
    },
    VAD_Device_Init(r) {
      r.state.focus = r.regs.ebx; // mov [VAD_Focus], ebx: the system VM (EBX) has the focus at start
    },
    VAD_Set_Focus(r) {
      const s = r.state;
      const old = s.focus;
      s.focus = r.regs.ebx; // xchg [VAD_Focus], ebx
      if (s.virtDevReqFor !== old || old === 0) return; // VPICD_Stat_Virt_Dev_Req: requested for old owner?
      clearRequest(r, old);
      setRequest(r, s.focus);
      s.vmRequesting = s.focus;
    },
    VAD_Destroy_VM(r) {
      const s = r.state;
      const dying = r.regs.ebx;
      if (!s.requested || dying !== s.vmRequesting) return;
      clearRequest(r, dying);
      s.requested = false;
      s.iretPending = false;
      s.focus = r.sysVm();
      requestInt(r);
    },
    VAD_System_Exit(r) {
      r.state.exiting = true;
      r.state.qCount = 0;
      clearRequest(r, r.regs.ebx);
    },
    // The model's bookkeeping for VPICD_Get_Status (header): the aux IRQ in service in a VM.
    VAD_Virt_Int(r) {
      r.state.inServiceFor = r.regs.ebx;
    },
    VAD_Virt_EOI(r) {
      if (r.state.inServiceFor === r.regs.ebx) r.state.inServiceFor = 0;
    },
  },
});

function aliveHandle(view: RunView, handle: number): boolean {
  return view.vms().some((vm) => vm.handle === handle && vm.alive);
}

/**
 * Once the VM that was last given a byte is gone, its IRET never comes. `VAD_Destroy_VM` resets
 * `VAD_IRET_Pending` only when the dying VM still had the request; a VM that read its byte (the
 * request cleared) and died before its IRET leaves `VAD_IRET_Pending` set, and if VPICD never
 * calls `VAD_IRET` for it, no byte is ever requested again. Exported, not in the scenario
 * (README "Real drivers": what exploring it showed).
 */
export const mouseNotStuck = {
  name: 'mouseStuckOnDeadVm',
  check: (view: RunView): string | undefined => {
    const s = view.device<VadState>('VAD');
    if (!s.iretPending || s.vmRequesting === 0 || aliveHandle(view, s.vmRequesting)) return undefined;
    return `VAD_IRET_Pending waits for the IRET of VM handle 0x${s.vmRequesting.toString(16)}, which is destroyed (${s.qCount} byte(s) queued)`;
  },
};

export default defineScenario({
  name: 'real-vad',
  description: 'VAD (Windows 3.1 DDK, PS/2 mouse port): IRQ 12 bytes queued, one virtual interrupt at a time to the focus VM, moved on focus changes',
  vms: 3,
  devices: [vad, timer],
  mix: { run: 30, trap: 40, interruptFlag: 5, iret: 12, eoi: 12, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 400 },
  lifecycle: [
    { atStep: 20, op: 'focus', vm: 2 },
    { atStep: 60, op: 'focus', vm: 3 },
    { atStep: 85, op: 'focus', vm: 1 },
    { atStep: 90, op: 'destroy', vm: 3 },
    { atStep: 100, op: 'create' },
    { atStep: 120, op: 'focus', vm: 4 },
    { atStep: 160, op: 'focus', vm: 1 },
  ],
  invariants: [
    {
      // VAD_Request_Int: "Request for mouse owner"; VAD_Set_Focus moves a pending request to the new owner.
      name: 'auxRequestForFocus',
      check: (view) => {
        const s = view.device<VadState>('VAD');
        return s.virtDevReqFor === 0 || s.virtDevReqFor === s.focus ? undefined : `the aux request is set for VM handle 0x${s.virtDevReqFor.toString(16)}, not for the focus VM 0x${s.focus.toString(16)}`;
      },
    },
    {
      // The circular queue hands the bytes out in the order the mouse sent them.
      name: 'auxBytesInOrder',
      check: (view) => {
        const s = view.device<VadState>('VAD');
        return s.outOfOrder === 0 ? undefined : `a VM read ${s.outOfOrder} byte(s) out of order`;
      },
    },
    {
      // VAD_Destroy_VM, and VAD_VM_Requesting's contract: no request is left for a destroyed VM.
      name: 'auxRequestForDeadVm',
      check: (view) => {
        const s = view.device<VadState>('VAD');
        return s.virtDevReqFor === 0 || aliveHandle(view, s.virtDevReqFor) ? undefined : `the aux request is still set for destroyed VM handle 0x${s.virtDevReqFor.toString(16)}`;
      },
    },
  ],
  steps: 200,
});
