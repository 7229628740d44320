/**
 * VDD for the CGA, the virtual display device of the Windows 3.1 DDK: its event logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), files
 * DDK/386/VDDCGA/CGAPROC.ASM, DDK/386/VDDCGA/CGASAVE.ASM and DDK/386/VDDCGA/CGAINT.ASM.
 * Procedures, each with the label it follows:
 *
 * - `VDD_Device_Init` (CGAINIT.ASM): `VDD_Rest_Event_Handle` = 0; "System VM has focus and is
 *   running on hardware": `VDD_Focus_VM` = `Vid_VM_Handle` = EBX.
 * - `VDD_VMSetFocus` (CGAPROC.ASM, Set_Device_Focus): unless the VM already has the focus,
 *   `VDD_Detach`; then `mov [VDD_Focus_VM], ebx` and `VDD_Restore`.
 * - `VDD_Detach` (ported as the helper `detach`): with EBX = the focus VM, `VDD_Save` the
 *   attached VM (`Vid_VM_Handle`) and set it to 0, then `VDD_Cancel_Restore`.
 * - `VDD_Save` (CGASAVE.ASM, the helper `save`): for the system VM only, `Call_Priority_VM_Event`
 *   with EAX = VDD_Pri_Device_Boost (Low_Pri_Device_Boost, CGA.INC), ECX = 0,
 *   `VDD_Backgrnd_Event`, EDX = its control block. The handle is not kept.
 * - `VDD_Backgrnd_Event`: `fVDD_Sus`: nothing. If the system VM is still attached (`VEB_Normal`):
 *   `VEB_CallApp`, nested execution of INT 2Fh AX = 4001h ("VM detaches from display"). Else
 *   (`VEB_Detached`): `VDD_Restore` for `VDD_Focus_VM` ("Make sure focus restored"), then
 *   `VEB_CallApp`.
 * - `VDD_Restore` (the helper `restore`): "Restore pending?" (`VDD_Rest_Event_Handle` non-zero):
 *   done; else `Schedule_VM_Event VDD_Restore_Event` for EBX and `mov [VDD_Rest_Event_Handle], esi`.
 * - `VDD_Cancel_Restore` (the helper `cancelRestore`): if the handle is non-zero, `xor esi, esi /
 *   xchg esi, [VDD_Rest_Event_Handle] / VMMCall Cancel_VM_Event` with the caller's EBX (its
 *   DEBUG build checks that EBX is `VDD_Focus_VM`: "Cancel restore on wrong VM handle").
 * - `VDD_Restore_Event` (VM event callback): `mov [VDD_Rest_Event_Handle], 0`; the VM already
 *   attached: controller state only (`VRE_04`); else `Vid_VM_Handle` = EBX, and for the system
 *   VM INT 2Fh AX = 4002h in nested execution ("VM reinitializes display").
 * - `VDD_Suspend` (VM_Suspend): sets `fVDD_Sus`; the focus VM: `VDD_Cancel_Restore`; the
 *   attached VM: `VDD_Detach`. `VDD_Resume` (VM_Resume): `btr fVDD_SusBit`, and for the focus VM
 *   `VDD_Restore`. `VDD_VMDestroy` (Destroy_VM): the attached VM is detached (`Vid_VM_Handle` = 0).
 * - `VDD_Int_10` (CGAINT.ASM, the INT 10h hook), mode-set path only: "Already doing mode set?"
 *   (`fVDD_ModeSet`): reflect; else set it, `Adjust_Exec_Priority` +High_Pri_Device_Boost and
 *   `Call_When_VM_Returns VDD_I10_Ret`. `VDD_I10_Ret`: clears `fVDD_ModeSet`, then
 *   `Adjust_Exec_Priority` -High_Pri_Device_Boost.
 *
 * Left out: the video state (registers, memory, `VDD_Mem_*`, `VDD_SRAM`, the screen off/on),
 * message mode (`fVid_Msg`), the window-update time-outs (`VDD_Set_VM_Time_Out`: the model has
 * no time-outs), INT 10h TTY and cursor emulation, the grabber, `Push_Client_State`.
 *
 * Model notes: `VDD_VMSetFocus`'s EDX test (a critical focus change, or VDD's own) is taken as
 * passed: every Set_Device_Focus here moves the display. `Call_When_VM_Returns` is not modelled: `VDD_I10_Ret` is a trap entry here, the
 * VM's return from its INT 10h, and does its work only when the VM has a mode set in progress
 * (its 2-second time-out is left out). `shell` is the model's stand-in for whoever suspends and
 * resumes VMs (as in `vdd.ts`), not part of VDD. The scenario moves the focus to the system VM
 * before it destroys a VM, as the Windows shell does when a DOS window closes: `VDD_VMDestroy`
 * cancels no restore event. INT 2Fh 4001h / 4002h are counted into `sysVmBackground`, what the
 * system VM (Windows) was last told. The built-in system timer runs beside them.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vddcga.ts
 *   npx vmmsim explore examples/real/vddcga.ts --iterations 2000
 */
import { timer } from '../../src/devices/timer.js';
import { Boost } from '../../src/vmm/constants.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { shell, vddInvariants, vddRun } from './vddHarness.js';

/** VDD_Pri_Device_Boost EQU Low_Pri_Device_Boost (CGA.INC). */
const VDD_PRI_DEVICE_BOOST = Boost.Low_Pri_Device_Boost;

export interface VddCgaState {
  /** VDD_Focus_VM. */
  focusVm: number;
  /** vgVDD.Vid_VM_Handle: the VM attached to the physical display (0: none). */
  attachedVm: number;
  /** VDD_Rest_Event_Handle. */
  restEventHandle: number;
  /** The VM the pending restore event was scheduled for (what Cancel_VM_Event's EBX must be). */
  restEventVm: number;
  /** fVDD_Sus and fVDD_ModeSet of each VM's VDD control block, by VM handle. */
  suspended: Record<string, boolean>;
  modeSet: Record<string, boolean>;
  /** VDD_Backgrnd_Event priority events scheduled and not yet run (the original keeps no handle). */
  backgroundPending: number;
  /** What INT 2Fh last told the system VM: 4001h (true, background) or 4002h (false). */
  sysVmBackground: boolean;
  restores: number;
  restoreCancels: number;
  backgroundNotifies: number;
  modeSets: number;
}

function restore(r: Ring0<VddCgaState>, vm: number): void {
  const s = r.state;
  if (s.restEventHandle !== 0) return; // Restore pending? Y: all done
  s.restEventHandle = r.scheduleVmEvent(vm, 'VDD_Restore_Event', vm);
  s.restEventVm = vm;
}

function cancelRestore(r: Ring0<VddCgaState>, vm: number): void {
  const s = r.state;
  if (s.restEventHandle === 0) return; // VCR_NoEventPending
  const handle = s.restEventHandle; // xor esi, esi / xchg esi, [VDD_Rest_Event_Handle]
  s.restEventHandle = 0;
  r.cancelVmEvent(vm, handle);
  s.restoreCancels++;
}

function save(r: Ring0<VddCgaState>, vm: number): void {
  if (vm !== r.sysVm()) return; // VS_00: only the system VM is told
  r.state.backgroundPending++; // before the call: the callback may run inside it
  r.callPriorityVmEvent({ boost: VDD_PRI_DEVICE_BOOST, vm, flags: 0, callback: 'VDD_Backgrnd_Event', refData: vm });
}

function detach(r: Ring0<VddCgaState>): void {
  const s = r.state;
  const focus = s.focusVm;
  if (s.attachedVm !== 0) {
    save(r, s.attachedVm);
    s.attachedVm = 0;
  }
  cancelRestore(r, focus);
}

/** VEB_CallApp / the tail of VDD_Restore_Event: Exec_Int 2Fh in the VM, nested. */
function int2f(r: Ring0<VddCgaState>, ax: number): void {
  r.regs.eax = ax;
  r.execNested();
  r.state.sysVmBackground = ax === 0x4001;
}

export const vddCga = defineDevice<VddCgaState>({
  name: 'VDD',
  state: () => ({
    focusVm: 0, attachedVm: 0, restEventHandle: 0, restEventVm: 0, suspended: {}, modeSet: {}, backgroundPending: 0,
    sysVmBackground: false, restores: 0, restoreCancels: 0, backgroundNotifies: 0, modeSets: 0,
  }),
  control: {
    Device_Init: 'VDD_Device_Init', Set_Device_Focus: 'VDD_VMSetFocus', VM_Suspend: 'VDD_Suspend',
    VM_Resume: 'VDD_Resume', Destroy_VM: 'VDD_VMDestroy',
  },
  entries: ['VDD_Int_10', 'VDD_I10_Ret'],
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
    VDD_Int_10(r) {
      const s = r.state;
      const vm = r.currentVm();
      if (s.modeSet[vm] === true) return; // Already doing mode set? Y: just reflect
      s.modeSet[vm] = true;
      s.modeSets++;
      r.adjustExecPriority(vm, Boost.High_Pri_Device_Boost);
    },
    VDD_I10_Ret(r) {
      const s = r.state;
      const vm = r.currentVm();
      if (s.modeSet[vm] !== true) return; // no INT 10h mode set to return from
      s.modeSet[vm] = false; // No longer critical region
      r.adjustExecPriority(vm, -Boost.High_Pri_Device_Boost);
    },
  },
});

export default defineScenario({
  name: 'real-vddcga',
  description: 'VDD for CGA (Windows 3.1 DDK): a restore VM event per focus change, cancelled with Cancel_VM_Event on detach and suspend; a priority event tells the system VM it went to the background',
  ...vddRun,
  devices: [vddCga, shell, timer],
  invariants: [
    ...vddInvariants,
    {
      name: 'modeSetBoost',
      check: (view) => {
        const s = view.device<VddCgaState>('VDD');
        for (const vm of view.vms()) {
          if (vm.alive && s.modeSet[vm.handle] === true && vm.boost < Boost.High_Pri_Device_Boost) {
            return `VM ${vm.id} is in an INT 10h mode set below High_Pri_Device_Boost (boost 0x${vm.boost.toString(16)})`;
          }
        }
        return undefined;
      },
    },
  ],
});
