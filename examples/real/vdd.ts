/**
 * VDD, the VGA display device of the Windows 3.1 DDK: its background / foreground notification
 * events, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), file
 * DDK/386/VDDVGA/VDDPROC.ASM (called from VDDCTL.ASM's VM_Suspend and VM_Resume handlers).
 * Procedures, each with the label it follows:
 *
 * - `VDD_Proc_VM_Suspend` (control message VM_Suspend): for a VM that restores its own screen
 *   (`fVDD_NoSaveRes`), `call VDD_Proc_BGrnd_Notify`.
 * - `VDD_Proc_BGrnd_Notify` (ported as the helper `bgrndNotify`): `cmp [edi.VDD_NotifyEvent], 0`
 *   ("event scheduled?"): yes: only set `fVDD_WaitAtt`; no: set `fVDD_WaitAtt`, and if the VM is
 *   the current one and not suspended call `VDD_Proc_BGrnd_INT2F` at once, else
 *   `Schedule_VM_Event VDD_Proc_BGrnd_INT2F` and `mov [edi.VDD_NotifyEvent], esi`.
 * - `VDD_Proc_BGrnd_INT2F` (VM event callback): `mov [edi.VDD_NotifyEvent], 0`, then
 *   `Begin_Nest_Exec` / `Exec_Int` 2Fh with AX = 4001h ("VM detaches from display"); if
 *   `fVDD_WaitAtt` is clear by then (resumed meanwhile) it goes on into `VDD_Proc_FGrnd_INT2F`'s
 *   `fn_simulate_2f` (AX = 4002h) inside the same nested execution.
 * - `VDD_Proc_FGrnd_INT2F` (VM event callback): `mov [edi.VDD_NotifyEvent], 0`; unless
 *   `fVDD_WaitAtt` ("BGrnd cancelled need for FGrnd notify"), `Exec_Int` 2Fh with AX = 4002h
 *   ("VM reinitializes display").
 * - `VDD_Proc_VM_Resume` (control message VM_Resume): for a VM that can restore
 *   (`fVDD_CanRestore`), `btr fVDD_WaitAtt`; if it was set and `[edi.VDD_NotifyEvent]` is 0
 *   ("bgrnd notify pending?" no) `Schedule_VM_Event VDD_Proc_FGrnd_INT2F`, handle saved.
 * - `VDD_Proc_Force_Cur_VM_Fgrnd` (ported inside `VDD_PFault`): for the current VM still waiting
 *   (`fVDD_WaitAtt`), clears the flag and calls `VDD_Proc_FGrnd_INT2F` at once. Its comment: "We
 *   don't need to do special processing of possible scheduled notify events, because we the
 *   current VM are running, so either any pending event was already processed, or one wouldn't be
 *   scheduled!", checked in the debug build (`Debug_Out 'giving FGrnd notification when
 *   NotifyEvent != 0'`): here the invariant `fgrndWithNotifyPending`.
 * - `VDD_Set_Device_Focus` (control message Set_Device_Focus, VDDVMMEM.ASM's
 *   `VDD_VM_Mem_Set_Device_Focus`) calls `VDD_Proc_Chk_Bkgnd_Usage` for the new focus VM: if it
 *   uses all video pages, `VDD_Proc_Suspend_Bkgnd_VMs`: every background VM that is not waiting
 *   and can restore its screen gets `VDD_Proc_BGrnd_Notify` (not suspended: `fVDD_CanRestore`);
 *   otherwise `VDD_Proc_Resume_Bkgnd_VMs` (`btr bVid_VMsSuspended` first): the focus VM, if
 *   waiting, gets `rbv_notify`: `fVDD_WaitAtt` cleared, and `Schedule_VM_Event
 *   VDD_Proc_FGrnd_INT2F` unless a notify event is pending.
 * - `VDD_PFault`: the model's trap entry for the page fault on video memory that reaches
 *   `VDD_Proc_Force_Cur_VM_Fgrnd` (VDDVMMEM.ASM); only that call is ported.
 *
 * Left out: the video state itself (saved register state, `VDD_SavedStt`, memory pages, the
 * grabber), `VDD_Proc_Notify_Bkgnd_VMs`, `VDD_Proc_Suspend_Bkgnd_VMs` / `Resume_Bkgnd_VMs`
 * (VDD suspending VMs on its own: here the `shell` device below suspends and resumes), the
 * screen-update priority events (`VDD_Update_Window`, `VDD_VMDA_Grab`: they go through
 * `Shell_Event`, which the model does not have), and `Push_Client_State` / `Pop_Client_State`.
 *
 * Model notes: every VM but the system VM restores its own screen (`fVDD_CanRestore`,
 * `fVDD_NoSaveRes` set); whether the focus VM uses all video pages (`VDD_PH_Mem_VM_Using_All`)
 * alternates with each focus change, starting with yes (the model has no video memory); per-VM fields of the VDD control block are maps keyed by VM handle.
 * `shell` is the model's stand-in for whoever suspends and resumes VMs (the Windows shell, a
 * user's request): a trap that calls `Suspend_VM` or `Resume_VM` on another VM; it is not part
 * of VDD. The built-in system timer runs beside them.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vdd.ts
 *   npx vmmsim explore examples/real/vdd.ts --iterations 2000
 */
import { timer } from '../../src/devices/timer.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { shell } from './vddHarness.js';

export interface VddState {
  /** VDD_NotifyEvent of each VM's VDD control block, by VM handle. */
  notifyEvent: Record<string, number>;
  /** fVDD_WaitAtt: the VM was told it lost the display and waits for it. */
  waitAtt: Record<string, boolean>;
  /** Vid_Flags' fVid_VMsSuspended: some VM was sent to the background by VDD. */
  vmsSuspended: boolean;
  /** Focus changes so far (decides whether the focus VM uses all video pages). */
  focusChanges: number;
  bgrndNotifies: number;
  fgrndNotifies: number;
  /** Times VDD_Proc_Force_Cur_VM_Fgrnd found a notify event still pending (its Debug_Out). */
  fgrndWithNotifyPending: number;
}

/** Exec_Int 2Fh in the VM (AX = 4001h or 4002h): nested execution, an event-processing point. */
function int2f(r: Ring0<VddState>, ax: number): void {
  r.regs.eax = ax;
  r.execNested();
  if (ax === 0x4001) r.state.bgrndNotifies++;
  else r.state.fgrndNotifies++;
}

function bgrndNotify(r: Ring0<VddState>, vm: number, vmSuspended: boolean): void {
  const s = r.state;
  if ((s.notifyEvent[vm] ?? 0) !== 0) {
    s.waitAtt[vm] = true;
    return;
  }
  s.waitAtt[vm] = true;
  if (vm === r.currentVm() && !vmSuspended) {
    s.notifyEvent[vm] = 0;
    int2f(r, 0x4001);
    return;
  }
  s.notifyEvent[vm] = r.scheduleVmEvent(vm, 'VDD_Proc_BGrnd_INT2F', 0);
}

export const vdd = defineDevice<VddState>({
  name: 'VDD',
  state: () => ({ notifyEvent: {}, waitAtt: {}, vmsSuspended: false, focusChanges: 0, bgrndNotifies: 0, fgrndNotifies: 0, fgrndWithNotifyPending: 0 }),
  control: { VM_Suspend: 'VDD_Proc_VM_Suspend', VM_Resume: 'VDD_Proc_VM_Resume', Set_Device_Focus: 'VDD_Set_Device_Focus' },
  entries: ['VDD_PFault'],
  procs: {
    VDD_Proc_VM_Suspend(r) {
      // VM_Suspend comes after the VMM marked the VM suspended.
      if (r.regs.ebx !== r.sysVm()) bgrndNotify(r, r.regs.ebx, true);
    },
    VDD_Proc_VM_Resume(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      if (vm === r.sysVm() || s.waitAtt[vm] !== true) return;
      s.waitAtt[vm] = false;
      if ((s.notifyEvent[vm] ?? 0) !== 0) return; // bgrnd notify pending: just clear WaitAtt
      s.notifyEvent[vm] = r.scheduleVmEvent(vm, 'VDD_Proc_FGrnd_INT2F', 0);
    },
    VDD_Set_Device_Focus(r) {
      const s = r.state;
      const focus = r.regs.ebx;
      const usesAllPages = s.focusChanges++ % 2 === 0;
      if (usesAllPages) {
        for (const vm of r.vmHandles()) {
          if (vm === focus || vm === r.sysVm() || s.waitAtt[vm] === true) continue;
          s.vmsSuspended = true;
          bgrndNotify(r, vm, false);
        }
        return;
      }
      if (!s.vmsSuspended) return;
      s.vmsSuspended = false;
      if (focus === r.sysVm() || s.waitAtt[focus] !== true) return;
      s.waitAtt[focus] = false;
      if ((s.notifyEvent[focus] ?? 0) !== 0) return; // bgrnd notify pending: just clear WaitAtt
      s.notifyEvent[focus] = r.scheduleVmEvent(focus, 'VDD_Proc_FGrnd_INT2F', 0);
    },
    VDD_Proc_BGrnd_INT2F(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      s.notifyEvent[vm] = 0;
      int2f(r, 0x4001);
      if (s.waitAtt[vm] !== true) int2f(r, 0x4002); // fn_simulate_2f
    },
    VDD_Proc_FGrnd_INT2F(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      s.notifyEvent[vm] = 0;
      if (s.waitAtt[vm] === true) return; // BGrnd cancelled need for FGrnd notify
      int2f(r, 0x4002);
    },
    VDD_PFault(r) {
      const s = r.state;
      const vm = r.currentVm();
      if (vm === r.sysVm() || s.waitAtt[vm] !== true) return;
      if ((s.notifyEvent[vm] ?? 0) !== 0) s.fgrndWithNotifyPending++;
      s.waitAtt[vm] = false;
      s.notifyEvent[vm] = 0;
      int2f(r, 0x4002);
    },
  },
});

export default defineScenario({
  name: 'real-vdd',
  description: 'VDD (Windows 3.1 DDK): background and foreground INT 2Fh notifications as VM events around VM_Suspend and VM_Resume',
  vms: 3,
  // The system timer beside them: VDD has no interrupt of its own, and without one every execution
  // of a campaign is the same run (its interrupts move the time slices, so which VM is current).
  devices: [vdd, shell, timer],
  mix: { run: 30, trap: 60, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 200 },
  lifecycle: [
    { atStep: 10, op: 'focus', vm: 2 },
    { atStep: 25, op: 'focus', vm: 3 },
    { atStep: 40, op: 'focus', vm: 2 },
    { atStep: 55, op: 'focus', vm: 3 },
    { atStep: 70, op: 'focus', vm: 1 },
  ],
  invariants: [{
    name: 'fgrndWithNotifyPending',
    check: (view) => {
      const n = view.device<VddState>('VDD').fgrndWithNotifyPending;
      return n === 0 ? undefined : `VDD_Proc_Force_Cur_VM_Fgrnd gave the FGrnd notification ${n} time(s) with a notify event still pending`;
    },
  }],
  steps: 80,
});
