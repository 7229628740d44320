/**
 * VPOSTD, the Windows 3.1 DDK's sample of a VxD that has a Windows DLL post a message on behalf
 * of any VM: its event logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), file
 * DDK/SAMPLES/VPOSTD/VPOSTD.ASM. A VM calls the API; the post must happen in the system VM (where
 * POSTHOST.DLL lives) with interrupts enabled and the critical section free, so VPOSTD saves the
 * caller's data in the caller's control block and gets the system VM to call the DLL later.
 * Procedures, each with the label it follows:
 *
 * - `VPOSTD_Register_Callback` (API function 1; the function `registerCallback`):
 *   `PostHost_Proc_Off32` / `PostHost_Proc_Seg` = the client's ES:DI (null: de-register),
 *   `PostHost_hWnd` = BX.
 * - `VPOSTD_Call_PostHost` (API function 2; the function `callPostHost`): fails if the DLL's
 *   address is null; saves the client's CX and DX in the caller's control block
 *   (`VPOSTD_CB_Client_CX`, `_DX`). In the system
 *   VM with the critical section free (`Test_Sys_VM_Handle`, `Get_Crit_Section_Status`):
 *   `Call_When_VM_Ints_Enabled VPOSTD_Call_PostHost_Now`; otherwise (`VPOSTD_Schedule_Call`):
 *   `Call_Priority_VM_Event` for the system VM, `Low_Pri_Device_Boost`, `PEF_Wait_For_STI or
 *   PEF_Wait_Not_Crit`, reference data the caller's VM handle ("We actually have to so we don't
 *   re-enter the PostHost"). No handle is kept.
 * - `VPOSTD_Call_PostHost_Now` (the callback): `Push_Client_State`, `Begin_Nest_Exec`, pushes
 *   hWnd, the caller's `CB_VMID` and the CX:DX saved in the caller's control block,
 *   `Simulate_Far_Call` to the DLL, `Resume_Exec`, `End_Nest_Exec`, `Pop_Client_State`. It does not
 *   look at the DLL's address again.
 * - `PostHost_Register`, `PostHost_Deregister`, `App_Post`: the model's own trap entries for the
 *   VMs' code: POSTHOST.DLL in the system VM loads ES:DI and BX and calls function 1 (the
 *   de-registration "should be done when the POSTHOST is exiting"); an application in any VM
 *   loads CX:DX with its data (here a message number) and calls function 2.
 *
 * Left out: `VPOSTD_Get_Version`, the API dispatch (`VPOSTD_API_Proc`, `VPOSTD_API_Table`), the
 * control block allocation (`VPOSTD_Sys_Crit_Init`: `Allocate_Device_CB_Area`), the traces.
 *
 * What the model changes (gaps in the API): there is no `Call_When_VM_Ints_Enabled`; it is
 * `Call_Priority_VM_Event` for the current VM with boost 0 and `PEF_Wait_For_STI`, which runs the
 * callback inside the call when the VM's interrupts are enabled and otherwise when they are (the
 * service's description, as DOSLIB's VMM header summarizes the DDK: "The callback is called
 * immediately if interrupts are already enabled"; "It is usually more convenient to use
 * Call_Priority_VM_Event, but this call is faster"). There is no `Get_Crit_Section_Status`: no device of this scenario claims the critical
 * section, so it is always free (the query answers carry clear). The nested execution
 * (`Begin_Nest_Exec` ... `End_Nest_Exec`) is `execNested()`; `Push_Client_State` /
 * `Pop_Client_State` and the `Simulate_Push`es around it are left out: the model's nested
 * execution does not change the VM's client registers.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vpostd.ts
 *   npx vmmsim explore examples/real/vpostd.ts --iterations 2000
 */
import { Boost, PEF } from '../../src/vmm/constants.js';
import { EFLAGS_CF } from '../../src/shared/clientRegs.js';
import { defineScenario, type RunView } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { timer } from '../../src/devices/timer.js';

/** The DLL's callback address (seg:off) the model's POSTHOST.DLL registers, and its window. */
const POSTHOST_SEG = 0x1a2f;
const POSTHOST_OFF = 0x0042;
const POSTHOST_HWND = 0x2c;

export interface VpostdState {
  /** PostHost_Proc_Seg, PostHost_Proc_Off32, PostHost_hWnd. */
  procSeg: number;
  procOff: number;
  hWnd: number;
  /** Each VM's control block (VPOSTD_CB_Client_CX:DX), by VM handle. */
  cbData: Record<string, number>;
  /** The message numbers the applications posted, and what the DLL was called with, in order. */
  nextMessage: number;
  posted: number[];
  delivered: number[];
  refused: number;
  /** The DLL's callback while it runs in nested execution (0: not running), and its re-entries. */
  postHostDepth: number;
  postHostReentered: number;
  /** Calls of the DLL at the address 0:0 (the callback found it de-registered). */
  calledAtNull: number;
  /** Callbacks that ran in another VM than the system VM. */
  ranOutsideSysVm: number;
}

/** VPOSTD_Register_Callback, with the client's ES:DI and BX. */
function registerCallback(r: Ring0<VpostdState>): void {
  r.state.procOff = r.client.getAlias('DI');
  r.state.procSeg = r.client.get('ES') & 0xffff;
  r.state.hWnd = r.client.getAlias('BX');
  r.client.setAlias('AX', 1);
  r.client.set('EFlags', r.client.get('EFlags') & ~EFLAGS_CF);
}

/** VPOSTD_Call_PostHost, for the VM `vm` that called it. */
function callPostHost(r: Ring0<VpostdState>, vm: number): void {
  const s = r.state;
  if ((s.procSeg | s.procOff) === 0) {
    s.refused++; // VPOSTD_API_Failed
    r.client.setAlias('AX', 0);
    r.client.set('EFlags', r.client.get('EFlags') | EFLAGS_CF);
    return;
  }
  s.cbData[vm] = ((r.client.getAlias('CX') << 16) | r.client.getAlias('DX')) >>> 0;
  if (vm === r.sysVm()) {
    // Get_Crit_Section_Status: always free here (header). Call_When_VM_Ints_Enabled:
    r.callPriorityVmEvent({ boost: 0, vm, flags: PEF.Wait_For_STI, callback: 'VPOSTD_Call_PostHost_Now', refData: vm });
  } else {
    r.callPriorityVmEvent({
      boost: Boost.Low_Pri_Device_Boost, vm: r.sysVm(), flags: PEF.Wait_For_STI | PEF.Wait_Not_Crit,
      callback: 'VPOSTD_Call_PostHost_Now', refData: vm,
    });
  }
  r.client.setAlias('AX', 1);
  r.client.set('EFlags', r.client.get('EFlags') & ~EFLAGS_CF);
}

export const vpostd = defineDevice<VpostdState>({
  name: 'VPOSTD',
  state: () => ({
    procSeg: 0, procOff: 0, hWnd: 0, cbData: {}, nextMessage: 1, posted: [], delivered: [], refused: 0,
    postHostDepth: 0, postHostReentered: 0, calledAtNull: 0, ranOutsideSysVm: 0,
  }),
  entries: ['PostHost_Register', 'PostHost_Deregister', 'App_Post'],
  procs: {
    VPOSTD_Call_PostHost_Now(r) {
      const s = r.state;
      if (r.regs.ebx !== r.sysVm()) s.ranOutsideSysVm++;
      const caller = r.regs.edx;
      if ((s.procSeg | s.procOff) === 0) s.calledAtNull++; // Simulate_Far_Call to PostHost_Proc_Seg:Off32, not checked again
      if (s.postHostDepth > 0) s.postHostReentered++;
      s.delivered.push(s.cbData[caller] ?? 0);
      s.postHostDepth++;
      r.execNested(); // Begin_Nest_Exec, Simulate_Far_Call, Resume_Exec, End_Nest_Exec
      s.postHostDepth--;
    },
    PostHost_Register(r) {
      if (r.currentVm() !== r.sysVm()) return; // POSTHOST.DLL lives in the system VM
      r.client.set('ES', POSTHOST_SEG);
      r.client.setAlias('DI', POSTHOST_OFF);
      r.client.setAlias('BX', POSTHOST_HWND);
      registerCallback(r);
    },
    PostHost_Deregister(r) {
      if (r.currentVm() !== r.sysVm()) return;
      r.client.set('ES', 0);
      r.client.setAlias('DI', 0);
      registerCallback(r);
    },
    App_Post(r) {
      const s = r.state;
      const message = s.nextMessage++;
      r.client.setAlias('CX', message >>> 16);
      r.client.setAlias('DX', message & 0xffff);
      const refusedBefore = s.refused;
      r.regs.ebx = r.currentVm();
      callPostHost(r, r.regs.ebx);
      if (s.refused === refusedBefore) s.posted.push(message);
    },
  },
});

function device(view: RunView): VpostdState {
  return view.device<VpostdState>('VPOSTD');
}

/**
 * Flaws of the original (README "Real drivers"), exported, not in the scenario. The callback does
 * not look at the DLL's address again: a de-registration between the call and the callback has
 * the DLL called at 0:0. And each VM's control block holds one CX:DX: a second post from a VM
 * before the first one's callback overwrites it, so both callbacks post the second message and
 * the first is lost.
 */
export const postHostCalledAtNull = {
  name: 'postHostCalledAtNull',
  check: (view: RunView): string | undefined => {
    const s = device(view);
    return s.calledAtNull === 0 ? undefined : `VPOSTD_Call_PostHost_Now called the DLL at 0:0 ${s.calledAtNull} time(s) (it was de-registered after the post)`;
  },
};

export const postDeliveredOnce = {
  name: 'postDeliveredOnce',
  check: (view: RunView): string | undefined => {
    const seen = new Set<number>();
    for (const message of device(view).delivered) {
      if (seen.has(message)) return `message ${message} was posted twice (a later post from its VM overwrote the control block)`;
      seen.add(message);
    }
    return undefined;
  },
};

export default defineScenario({
  name: 'real-vpostd',
  description: 'VPOSTD (Windows 3.1 DDK sample): Call_When_VM_Ints_Enabled or a low-priority Call_Priority_VM_Event into the system VM, which runs a DLL in nested execution',
  vms: 3,
  devices: [vpostd, timer],
  mix: { run: 30, trap: 45, interruptFlag: 15, iret: 5, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 400 },
  invariants: [
    {
      // "PostHost is in sys VM": the callback runs in the system VM.
      name: 'postHostOutsideSysVm',
      check: (view) => (device(view).ranOutsideSysVm === 0 ? undefined : `VPOSTD_Call_PostHost_Now ran ${device(view).ranOutsideSysVm} time(s) outside the system VM`),
    },
    {
      // "we will wait until there is no critical section and interrupts have been enabled. We actually have to so we don't re-enter the PostHost".
      name: 'postHostReentered',
      check: (view) => (device(view).postHostReentered === 0 ? undefined : `the DLL was entered ${device(view).postHostReentered} time(s) while it was running`),
    },
  ],
  steps: 200,
});
