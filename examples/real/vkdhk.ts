/**
 * VKD's hot keys and VFD's INT 13h critical section, from the Windows 3.1 DDK: their event logic,
 * ported. A hot key's priority notification waits for the critical section that VFD holds
 * across every floppy INT 13h (`PEF_Wait_Not_Crit`).
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), files
 * DDK/386/VKD/VKDHK.ASM, DDK/386/VKD/VKD.ASM, DDK/386/VKD/VKDPHYS.ASM and DDK/386/VFD/VFD.ASM.
 * Procedures, each with the label it follows:
 *
 * VKD
 * - `VKD_Int_09` (VKDPHYS.ASM): the IRQ 1 Hw_Int_Proc: EOI, the scan code into `keybuf`, and
 *   `Schedule_Global_Event VKD_VM_Service_Phys` unless a handle is saved (as in `vkd.ts`).
 * - `VKD_VM_Service_Phys` / `VKD_VM_Server` (VKD.ASM): zeroes the saved handle first, then takes
 *   each key from the queue; `Chk_Hot_Keys` finds every key ends the one hot key defined here
 *   (`hot_key_found`), and `Hot_Key_Entered` (VKDHK.ASM, the helper `hotKeyEntered`) runs:
 *   `xchg [last_hot_key_handle]`, sets `VKDf_HK_hold`, AH = Hot_Key_Pressed or, for a break code,
 *   Hot_Key_Released; a press of the key already down is an auto-repeat (`CallOnRepeat` not
 *   requested: no call); else `Hot_Key_Notify`.
 * - `Hot_Key_Notify` (the helper `hotKeyNotify`): the hot key asked for `PriorityNotify`, so
 *   `List_Allocate` / `List_Attach_Tail` a node with the scan code and notification, then
 *   `bts [VKD_flags], VKDf_HK_event_bit` ("priority event already scheduled?"); if it was clear:
 *   `Call_Priority_VM_Event` with EAX = Low_Pri_Device_Boost, ECX = PEF_Wait_For_STI OR
 *   PEF_Wait_Not_Crit ("wait for ints enabled and critical section unowned"; `PEF_Always_Sched`
 *   is commented out in the original), EBX = `Get_Sys_VM_Handle` ("so VM can't be suspended"),
 *   `VKD_PriorityNotify`. The handle is not kept.
 * - `VKD_PriorityNotify` (priority event callback): `ClrFlag [VKD_flags], VKDf_HK_event`, then
 *   `List_Get_First` / `List_Remove` until empty, calling the hot key's call-back for each
 *   (`Call_Hot_Key_CallBack`).
 *
 * VFD
 * - `VFD_Int_13` (VFD.ASM, the INT 13h hook): DL with the high bit set is not a floppy: reflect.
 *   Else `Begin_Critical_Section` (Block_Svc_Ints OR Block_Enable_Ints), save `INT13_AX` in the
 *   VM's control block, `Call_When_VM_Returns VFD_I13_Iret`.
 * - `VFD_I13_Iret`: `INT13_AX` = 0, then `VMMjmp End_Critical_Section`.
 *
 * Left out: VKD's shift-state tracking, hot key definition (`VKD_Define_Hot_Key`), `Hot_Key_Ended`
 * and `CallOnComplete`, the `Hot_Key_max_elapsed` test (it needs `Get_System_Time`), the
 * `Schedule_Priority_on_Owner_VM` build variant; VFD's `VTD_Disable_Trapping` /
 * `VTD_Enable_Trapping`, the DMA fix-up after a failed INT 13h (`VDMAD_Get_Virt_State`), and
 * `VFD_DMA2_Handler` (in `vdmad.ts`).
 *
 * Model notes: `Call_When_VM_Returns` is not modelled: `VFD_I13_Iret` is a trap entry here, the
 * VM's IRET from the BIOS's INT 13h, and does its work only when the VM has an INT 13h in
 * progress (a depth per VM: an INT 13h inside another claims the section twice and returns
 * twice). The trap's argument stands for DL (bit 7 of its low byte: a hard disk). The list nodes
 * are plain records in device state. The hot key's call-back is the model's own (the shell's, on
 * a real machine): it counts notifications and checks that they come in order and with the VM's
 * interrupts enabled. The keyboard owner is always the system VM.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vkdhk.ts
 *   npx vmmsim explore examples/real/vkdhk.ts --iterations 2000
 */
import { EFLAGS_IF } from '../../src/shared/clientRegs.js';
import { Boost, PEF } from '../../src/vmm/constants.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';

const IRQ = 1;
const KEYBUF_SIZE = 16;
/** The hot key's scan code, and SC_Break: the bit of a release. */
const HOT_KEY_SCAN_CODE = 0x3b;
const SC_BREAK = 0x80;
const HOT_KEY_PRESSED = 0;
const HOT_KEY_RELEASED = 1;

interface HotKeyNode {
  scanCode: number;
  notification: number;
}

export interface VkdHkState {
  keybuf: number[];
  /** The next scan code the keyboard sends: the hot key pressed, then released. */
  nextBreak: boolean;
  /** VKD_VM_Service_Phys's saved handle. */
  eventHandle: number;
  /** last_hot_key_handle (1: the hot key) and VKD_last_key. */
  lastHotKey: number;
  lastKey: number;
  /** VKDf_HK_event in VKD_flags: a VKD_PriorityNotify is scheduled. */
  hkEvent: boolean;
  /** Hot_Key_Notify_List. */
  notifyList: HotKeyNode[];
  keysDropped: number;
  priorityEventsCalledNow: number;
  /** What the hot key's call-back saw. */
  notifications: number;
  lastNotification: number;
  notifiedOutOfOrder: number;
  notifiedWithIntsDisabled: number;
}

function hotKeyNotify(r: Ring0<VkdHkState>, scanCode: number, notification: number): void {
  const s = r.state;
  s.notifyList.push({ scanCode, notification }); // List_Allocate / List_Attach_Tail
  const wasScheduled = s.hkEvent;
  s.hkEvent = true; // bts [VKD_flags], VKDf_HK_event_bit
  if (wasScheduled) return;
  const handle = r.callPriorityVmEvent({
    boost: Boost.Low_Pri_Device_Boost, vm: r.sysVm(), flags: PEF.Wait_For_STI | PEF.Wait_Not_Crit,
    callback: 'VKD_PriorityNotify', refData: 0,
  });
  if (handle === 0) s.priorityEventsCalledNow++;
}

function hotKeyEntered(r: Ring0<VkdHkState>, scanCode: number): void {
  const s = r.state;
  s.lastHotKey = 1; // xchg [last_hot_key_handle], ecx (the same hot key: no complete notify)
  if ((scanCode & SC_BREAK) !== 0) {
    s.lastKey = scanCode;
    hotKeyNotify(r, scanCode, HOT_KEY_RELEASED); // CallOnRelease
    return;
  }
  if (scanCode === s.lastKey) return; // auto-repeat; CallOnRepeat not requested
  s.lastKey = scanCode;
  hotKeyNotify(r, scanCode, HOT_KEY_PRESSED); // CallOnPress
}

export const vkdHotKeys = defineDevice<VkdHkState>({
  name: 'VKD',
  state: () => ({
    keybuf: [], nextBreak: false, eventHandle: 0, lastHotKey: 0, lastKey: 0, hkEvent: false, notifyList: [],
    keysDropped: 0, priorityEventsCalledNow: 0, notifications: 0, lastNotification: HOT_KEY_RELEASED,
    notifiedOutOfOrder: 0, notifiedWithIntsDisabled: 0,
  }),
  irqs: [{ irq: IRQ, hwIntProc: 'VKD_Int_09', meanIntervalTicks: 400 }],
  procs: {
    VKD_Int_09(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      const s = r.state;
      const scanCode = HOT_KEY_SCAN_CODE | (s.nextBreak ? SC_BREAK : 0);
      s.nextBreak = !s.nextBreak;
      if (s.keybuf.length + 1 >= KEYBUF_SIZE) s.keysDropped++;
      else s.keybuf.push(scanCode);
      if (s.eventHandle !== 0) return; // already requested
      s.eventHandle = r.scheduleGlobalEvent('VKD_VM_Service_Phys', r.sysVm());
    },
    VKD_VM_Service_Phys(r) {
      const s = r.state;
      s.eventHandle = 0; // clear event request flag
      for (let key = s.keybuf.shift(); key !== undefined; key = s.keybuf.shift()) hotKeyEntered(r, key);
    },
    VKD_PriorityNotify(r) {
      const s = r.state;
      s.hkEvent = false; // ClrFlag [VKD_flags], VKDf_HK_event
      for (let node = s.notifyList.shift(); node !== undefined; node = s.notifyList.shift()) {
        // Call_Hot_Key_CallBack: the hot key's owner, called with the VM's interrupts enabled.
        s.notifications++;
        if (node.notification === s.lastNotification) s.notifiedOutOfOrder++;
        s.lastNotification = node.notification;
        if ((r.client.get('EFlags') & EFLAGS_IF) === 0) s.notifiedWithIntsDisabled++;
      }
    },
  },
});

export interface VfdInt13State {
  /** INT13_AX of each VM's control block, as a depth: INT 13h calls in progress, by VM handle. */
  int13Depth: Record<string, number>;
  int13Calls: number;
  hardDiskCalls: number;
  /** VFD_I13_Iret found the VM without the critical section it claimed. */
  returnsWithoutClaim: number;
}

export const vfdInt13 = defineDevice<VfdInt13State>({
  name: 'VFD',
  state: () => ({ int13Depth: {}, int13Calls: 0, hardDiskCalls: 0, returnsWithoutClaim: 0 }),
  entries: ['VFD_Int_13', 'VFD_I13_Iret'],
  procs: {
    VFD_Int_13(r) {
      const s = r.state;
      if ((r.regs.eax & 0x80) !== 0) {
        s.hardDiskCalls++; // high bit set: not for floppy, reflect
        return;
      }
      r.beginCriticalSection(); // blocks (and the INT 13h is re-executed) while another VM owns it
      const vm = r.currentVm();
      s.int13Depth[vm] = (s.int13Depth[vm] ?? 0) + 1;
      s.int13Calls++;
    },
    VFD_I13_Iret(r) {
      const s = r.state;
      const vm = r.currentVm();
      const depth = s.int13Depth[vm] ?? 0;
      if (depth === 0) return; // no INT 13h of this VM to return from
      s.int13Depth[vm] = depth - 1; // mov [eax][ebx.INT13_AX], 0
      r.endCriticalSection();
    },
  },
});

export default defineScenario({
  name: 'real-vkdhk',
  description: 'VKD hot keys and VFD (Windows 3.1 DDK): a PEF_Wait_For_STI + PEF_Wait_Not_Crit priority notification against the critical section VFD holds across INT 13h',
  vms: 3,
  devices: [vkdHotKeys, vfdInt13],
  mix: { run: 30, trap: 55, interruptFlag: 15, iret: 0, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 200 },
  lifecycle: [
    { atStep: 40, op: 'destroy', vm: 3 },
    { atStep: 50, op: 'create' },
  ],
  invariants: [
    {
      name: 'hotKeyNotificationStranded',
      // A node left in Hot_Key_Notify_List with VKDf_HK_event clear is never delivered.
      check: (view) => {
        const s = view.device<VkdHkState>('VKD');
        return s.notifyList.length === 0 || s.hkEvent ? undefined : `${s.notifyList.length} hot key notification(s) wait with no VKD_PriorityNotify scheduled`;
      },
    },
    {
      name: 'hotKeyNotifiedOutOfOrder',
      check: (view) => {
        const n = view.device<VkdHkState>('VKD').notifiedOutOfOrder;
        return n === 0 ? undefined : `the hot key's call-back saw ${n} press/release out of order`;
      },
    },
    {
      name: 'hotKeyNotifiedWithIntsDisabled',
      check: (view) => {
        const n = view.device<VkdHkState>('VKD').notifiedWithIntsDisabled;
        return n === 0 ? undefined : `the hot key's call-back ran ${n} time(s) with the VM's interrupts disabled (PEF_Wait_For_STI)`;
      },
    },
  ],
  steps: 100,
});
