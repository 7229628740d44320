/**
 * VDD for the Hercules adapter, the virtual display device of the Windows 3.1 DDK: its event
 * logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), files
 * DDK/386/VDDHERC/HERCPROC.ASM and DDK/386/VDDHERC/HERCSAVE.ASM. The same design as VDD for the
 * CGA (`vddcga.ts`), written separately; this port follows the Hercules files line by line where
 * they differ. Procedures, each with the label it follows:
 *
 * - `VDD_Device_Init`: `VDD_Rest_Event_Handle` = 0, the system VM has the focus and the display
 *   (as `vddcga.ts`; HERCINIT.ASM is not ported).
 * - `VDD_VMSetFocus` (HERCPROC.ASM, Set_Device_Focus): `cmp ebx, [VDD_Focus_VM]`, unless equal
 *   `VDD_Detach`; `mov [VDD_Focus_VM], ebx`; `VDD_Restore`.
 * - `VDD_Detach` (HERCPROC.ASM, the function `detach`): `mov ebx, [VDD_Focus_VM]`; if a VM is
 *   attached, `mov ebx, [vgVDD.Vid_VM_Handle]`, `VDD_Save`, `Vid_VM_Handle` = 0; then
 *   `VDD_Cancel_Restore` **with EBX as it is then**: the attached VM when one was attached, else
 *   the focus VM. (The CGA port passes the focus VM; here EBX is what the Hercules code leaves.)
 * - `VDD_Save` (HERCSAVE.ASM, the function `save`): for the system VM only (`Test_Sys_VM_Handle`),
 *   `Call_Priority_VM_Event` EAX = VDD_Pri_Device_Boost, ECX = 0, `VDD_Backgrnd_Event`; no handle
 *   kept.
 * - `VDD_Backgrnd_Event` (HERCSAVE.ASM): `fVDD_Sus`: nothing (`VEB_Susp`); the VM still attached:
 *   `VEB_CallApp` (INT 2Fh AX = 4001h in nested execution); else `VEB_Detached`: `VDD_Restore` for
 *   `VDD_Focus_VM`, then `VEB_CallApp`.
 * - `VDD_Restore` (HERCSAVE.ASM, the function `restore`): `test [VDD_Rest_Event_Handle], -1`, pending:
 *   done; else `Schedule_VM_Event VDD_Restore_Event`, the handle saved.
 * - `VDD_Cancel_Restore` (HERCSAVE.ASM, the function `cancelRestore`): a handle pending: `xor esi,
 *   esi / xchg esi, [VDD_Rest_Event_Handle] / Cancel_VM_Event` with the caller's EBX (the DEBUG
 *   build: "Cancel restore on wrong VM handle" unless EBX is `VDD_Focus_VM`).
 * - `VDD_Restore_Event` (HERCSAVE.ASM, VM event callback): `mov [VDD_Rest_Event_Handle], 0`; the
 *   VM already attached: controller state only (`VRE_04`); else `Vid_VM_Handle` = EBX, and for the
 *   system VM INT 2Fh AX = 4002h ("VM reinitializes display").
 * - `VDD_Suspend` (HERCPROC.ASM, VM_Suspend): `fVDD_Sus`; the focus VM: `VDD_Cancel_Restore`; the
 *   attached VM: `VDD_Detach`. `VDD_Resume`: `btr fVDD_SusBit`; the focus VM: `VDD_Restore`.
 *   `VDD_VMDestroy`: the attached VM is detached (`Vid_VM_Handle` = 0); no restore is cancelled.
 *
 * Left out: the video state and memory (`VDD_SRAM`, `VDD_Mem_*`, the CRTC), message mode, the
 * window-update time-outs (`VDD_Set_VM_Time_Out`, `Cancel_Time_Out`), `VDD_VMDA_Update` and the
 * grab (`Shell_Event`), the INT 10h hook (the Hercules VDD has no mode-set boost).
 *
 * Model notes: as in `vddcga.ts`: the EDX test of `VDD_VMSetFocus` is taken as passed, `shell` is
 * the model's stand-in for whoever suspends and resumes VMs, the scenario moves the focus to the
 * system VM before it destroys a VM, and INT 2Fh 4001h / 4002h are kept in `sysVmBackground`.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vddherc.ts
 *   npx vmmsim explore examples/real/vddherc.ts --iterations 2000
 */
import { timer } from '../../src/devices/timer.js';
import { Boost } from '../../src/vmm/constants.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { shell, vddInvariants, vddRun } from './vddHarness.js';

/** VDD_Pri_Device_Boost: taken as CGA.INC defines it (Low_Pri_Device_Boost); the Hercules include is not read. */
const VDD_PRI_DEVICE_BOOST = Boost.Low_Pri_Device_Boost;

export interface VddHercState {
  /** VDD_Focus_VM. */
  focusVm: number;
  /** vgVDD.Vid_VM_Handle: the VM attached to the physical display (0: none). */
  attachedVm: number;
  /** VDD_Rest_Event_Handle. */
  restEventHandle: number;
  /** The VM the pending restore event was scheduled for (what Cancel_VM_Event's EBX must be). */
  restEventVm: number;
  /** fVDD_Sus of each VM's VDD control block, by VM handle. */
  suspended: Record<string, boolean>;
  /** VDD_Backgrnd_Event priority events scheduled and not yet run (the original keeps no handle). */
  backgroundPending: number;
  /** What INT 2Fh last told the system VM: 4001h (true, background) or 4002h (false). */
  sysVmBackground: boolean;
  restores: number;
  restoreCancels: number;
  backgroundNotifies: number;
}

function restore(r: Ring0<VddHercState>, vm: number): void {
  const s = r.state;
  if (s.restEventHandle !== 0) return; // Restore pending? Y: all done
  s.restEventHandle = r.scheduleVmEvent(vm, 'VDD_Restore_Event', vm);
  s.restEventVm = vm;
}

function cancelRestore(r: Ring0<VddHercState>, vm: number): void {
  const s = r.state;
  if (s.restEventHandle === 0) return; // VCR_NoEventPending
  const handle = s.restEventHandle; // xor esi, esi / xchg esi, [VDD_Rest_Event_Handle]
  s.restEventHandle = 0;
  r.cancelVmEvent(vm, handle);
  s.restoreCancels++;
}

function save(r: Ring0<VddHercState>, vm: number): void {
  if (vm !== r.sysVm()) return; // VS_00: only the system VM is told
  r.state.backgroundPending++; // before the call: the callback may run inside it
  r.callPriorityVmEvent({ boost: VDD_PRI_DEVICE_BOOST, vm, flags: 0, callback: 'VDD_Backgrnd_Event', refData: vm });
}

function detach(r: Ring0<VddHercState>): void {
  const s = r.state;
  let ebx = s.focusVm; // mov ebx, [VDD_Focus_VM]
  if (s.attachedVm !== 0) {
    ebx = s.attachedVm; // mov ebx, [vgVDD.Vid_VM_Handle]
    save(r, ebx);
    s.attachedVm = 0;
  }
  cancelRestore(r, ebx); // VD_01: call VDD_Cancel_Restore
}

/** VEB_CallApp / the tail of VDD_Restore_Event: Exec_Int 2Fh in the VM, nested. */
function int2f(r: Ring0<VddHercState>, ax: number): void {
  r.regs.eax = ax;
  r.execNested();
  r.state.sysVmBackground = ax === 0x4001;
}

export const vddHerc = defineDevice<VddHercState>({
  name: 'VDD',
  state: () => ({
    focusVm: 0, attachedVm: 0, restEventHandle: 0, restEventVm: 0, suspended: {}, backgroundPending: 0,
    sysVmBackground: false, restores: 0, restoreCancels: 0, backgroundNotifies: 0,
  }),
  control: {
    Device_Init: 'VDD_Device_Init', Set_Device_Focus: 'VDD_VMSetFocus', VM_Suspend: 'VDD_Suspend',
    VM_Resume: 'VDD_Resume', Destroy_VM: 'VDD_VMDestroy',
  },
  procs: {
    VDD_Device_Init(r) {
      const s = r.state;
      s.restEventHandle = 0;
      s.focusVm = r.regs.ebx;
      s.attachedVm = r.regs.ebx;
    },
    VDD_VMSetFocus(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      if (vm !== s.focusVm) detach(r);
      s.focusVm = vm;
      restore(r, vm);
    },
    VDD_Backgrnd_Event(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      s.backgroundPending--;
      if (s.suspended[vm] === true) return; // VEB_Susp
      if (vm !== s.attachedVm && s.focusVm !== 0) restore(r, s.focusVm); // VEB_Detached
      s.backgroundNotifies++;
      int2f(r, 0x4001);
    },
    VDD_Restore_Event(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      s.restEventHandle = 0;
      if (vm === s.attachedVm) return; // VRE_04: just the controller state
      s.attachedVm = vm;
      s.restores++;
      if (vm === r.sysVm()) int2f(r, 0x4002);
    },
    VDD_Suspend(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      s.suspended[vm] = true;
      if (vm === s.focusVm) cancelRestore(r, vm);
      if (vm === s.attachedVm) detach(r);
    },
    VDD_Resume(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      if (s.suspended[vm] !== true) return; // btr ... / jnc VRes_00
      s.suspended[vm] = false;
      if (vm === s.focusVm) restore(r, vm);
    },
    VDD_VMDestroy(r) {
      const s = r.state;
      if (r.regs.ebx === s.attachedVm) s.attachedVm = 0; // Force detach
    },
  },
});

export default defineScenario({
  name: 'real-vddherc',
  description: 'VDD for Hercules (Windows 3.1 DDK): a restore VM event per focus change, cancelled with Cancel_VM_Event on detach and suspend; a priority event tells the system VM it went to the background',
  ...vddRun,
  devices: [vddHerc, shell, timer],
  invariants: vddInvariants,
});
