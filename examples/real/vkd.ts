/**
 * VKD, the virtual keyboard device of the Windows 3.1 DDK: its event logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), files
 * DDK/386/VKD/VKDPHYS.ASM and DDK/386/VKD/VKD.ASM. Procedures, each with the label it follows:
 *
 * - `VKD_Int_09` (VKDPHYS.ASM, `BeginProc VKD_Int_09`): the IRQ 1 Hw_Int_Proc. EOIs the PIC,
 *   reads the scan code into the circular `keybuf` (dropped when full), then, unless the
 *   keyboard owner's control block already holds an event handle ("already requested?"),
 *   `Schedule_Global_Event VKD_VM_Service_Phys` with EDX = the owner's control block, and saves
 *   the handle there (`mov [edx.eventHandle], esi`).
 * - `VKD_VM_Service_Phys` (VKD.ASM): the global event callback. First act: `mov
 *   [edx.eventHandle], 0` ("clear event request flag"), then falls into `VKD_VM_Server`: for the
 *   focus VM it takes a key from `keybuf` and simulates INT 9 into the VM
 *   (`Simulate_VM_INT9`: VPICD_Set_Int_Request).
 * - `VKD_Destroy_VM` (VKD.ASM, control message Destroy_VM): if the dying VM owns the keyboard,
 *   the focus goes to the system VM (the original sends Set_Device_Focus to all devices through
 *   System_Control; here VKD's own focus procedure runs), then `Cancel_Global_Event` on the
 *   handle in the dying VM's control block.
 * - `VKD_Set_Focus` (VKD.ASM, control message Set_Device_Focus): `mov [VKD_Kbd_Owner], ebx`;
 *   `VKD_Sys_Critical_Init` ends the same way ("VM1 owns the keyboard at start").
 * - `VKD_Virt_EOI`: the VM's EOI ends the simulated interrupt (VPICD_Clear_Int_Request). The
 *   original's EOI path does more (it restarts the server for the next key); only the clear is
 *   ported.
 *
 * - `VKD_Read_Data`: the model's own trap entry standing for the VM reading port 60h (VKD
 *   traps the port in the original; only the trap, a preemption point, is modelled).
 *
 * Left out: the 8042 command-response path (`Handle_8042_res`, its `Call_Global_Event
 * VKD_8042_Response` after `sti`), hot keys, paste and message mode: they schedule nothing the
 * paths above race with.
 *
 * Model notes: the control block's `eventHandle` field is a per-VM word here (`eventHandle` in
 * the device state, keyed by VM handle). The reference data is the VM handle (the original
 * passes the control block pointer, handle + VKD_CB_Offset; the callback subtracts the offset).
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vkd.ts
 *   npx vmmsim explore examples/real/vkd.ts --iterations 2000
 */
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

const IRQ = 1;
/** KeyBuf_Size in VKDPHYS.ASM's data: the physical key queue. */
const KEYBUF_SIZE = 16;

export interface VkdState {
  keybuf: number[];
  nextScanCode: number;
  /** VKD_Kbd_Owner: the handle of the VM with the keyboard focus (the system VM from Sys_Critical_Init). */
  owner: number;
  /** Each VM's control block `eventHandle` field, by VM handle. */
  eventHandle: Record<string, number>;
  keysDropped: number;
  keysSimulated: number;
  /** Server callbacks that ran for a VM no longer alive (what the cancel in Destroy_VM prevents). */
  serverRunsForDeadVm: number;
}

export const vkd = defineDevice<VkdState>({
  name: 'VKD',
  state: () => ({ keybuf: [], nextScanCode: 0x1e, owner: 0, eventHandle: {}, keysDropped: 0, keysSimulated: 0, serverRunsForDeadVm: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'VKD_Int_09', eoiProc: 'VKD_Virt_EOI', meanIntervalTicks: 400 }],
  control: { Sys_Critical_Init: 'VKD_Sys_Critical_Init', Set_Device_Focus: 'VKD_Set_Focus', Destroy_VM: 'VKD_Destroy_VM' },
  entries: ['VKD_Read_Data'],
  procs: {
    VKD_Int_09(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      const s = r.state;
      const scanCode = s.nextScanCode;
      s.nextScanCode = scanCode >= 0x39 ? 0x1e : scanCode + 1;
      if (s.keybuf.length + 1 >= KEYBUF_SIZE) s.keysDropped++;
      else s.keybuf.push(scanCode);
      const owner = s.owner;
      if ((s.eventHandle[owner] ?? 0) !== 0) return; // already requested
      const handle = r.scheduleGlobalEvent('VKD_VM_Service_Phys', owner);
      s.eventHandle[owner] = handle;
    },
    VKD_VM_Service_Phys(r) {
      const s = r.state;
      const vm = r.regs.edx;
      s.eventHandle[vm] = 0; // clear event request flag
      if (!r.vmHandles().includes(vm)) {
        s.serverRunsForDeadVm++;
        return;
      }
      // VKD_VM_Server: only the focus VM takes keys from the physical queue.
      if (vm !== s.owner) return;
      const key = s.keybuf.shift();
      if (key === undefined) return;
      s.keysSimulated++;
      r.setIntRequest(vm, r.irqHandle(IRQ));
    },
    VKD_Destroy_VM(r) {
      const s = r.state;
      const dying = r.regs.ebx;
      if (dying === s.owner) s.owner = r.sysVm(); // Set_Device_Focus to the system VM
      r.cancelGlobalEvent(s.eventHandle[dying] ?? 0);
    },
    // The tail of VKD_Sys_Critical_Init: "VM1 owns the keyboard at start" (EBX = the system VM).
    VKD_Sys_Critical_Init(r) {
      r.state.owner = r.regs.ebx;
    },
    VKD_Set_Focus(r) {
      r.state.owner = r.regs.ebx;
    },
    VKD_Virt_EOI(r) {
      r.clearIntRequest(r.regs.ebx, r.regs.eax);
    },
    // The VM reads port 60h (the scan code VKD simulated): a trap, a preemption point.
    VKD_Read_Data(r) {
      r.currentVm();
    },
  },
});

export default defineScenario({
  name: 'real-vkd',
  description: 'VKD (Windows 3.1 DDK): keys from IRQ 1 served by a global event per focus VM; Destroy_VM cancels it',
  vms: 3,
  devices: [vkd],
  mix: { run: 30, trap: 60, interruptFlag: 5, iret: 5, mode: 0, runTicksMean: 40 },
  lifecycle: [
    { atStep: 10, op: 'focus', vm: 2 },
    { atStep: 25, op: 'focus', vm: 3 },
    { atStep: 40, op: 'destroy', vm: 3 },
    { atStep: 45, op: 'create' },
    { atStep: 50, op: 'focus', vm: 4 },
    { atStep: 70, op: 'destroy', vm: 2 },
  ],
  invariants: [
    {
      name: 'serverForDeadVm',
      check: (view) => {
        const s = view.device<VkdState>('VKD');
        return s.serverRunsForDeadVm === 0 ? undefined : `VKD_VM_Service_Phys ran ${s.serverRunsForDeadVm} time(s) for a destroyed VM`;
      },
    },
    {
      name: 'keyboardOwnerAlive',
      check: (view) => {
        const s = view.device<VkdState>('VKD');
        const owner = view.vms().find((vm) => vm.handle === s.owner);
        return owner?.alive === true ? undefined : `VKD_Kbd_Owner is VM ${owner?.id ?? '?'}, which is destroyed`;
      },
    },
  ],
  steps: 100,
});
