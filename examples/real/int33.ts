/**
 * VMD's Int 33h layer, the virtual mouse device of the Windows 3.1 DDK: its event logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), files
 * DDK/386/VMD/INT33.ASM and DDK/386/VMD/VMD.ASM. Procedures, each with the label it follows:
 *
 * - `Int33_API` (INT33.ASM; reached from `VMD_API_Proc` in VMD.ASM, the VM's API entry): the
 *   call VMDOSAPP makes from the system VM to pass a windowed DOS VM its mouse state. Refused
 *   (client carry set) unless the caller is the system VM (`Test_Sys_VM_Handle`). Saves the new
 *   position, and if the target VM's `I33_CB_Event_Handle` is 0: `Call_Priority_VM_Event` with
 *   EAX = TIME_CRITICAL_BOOST, ECX = PEF_Wait_For_STI OR PEF_Always_Sched,
 *   `Int33_Event_Call_Back`, and `mov [edx.I33_CB_Event_Handle], esi`.
 * - `Int33_Event_Call_Back`: first act `mov [edx.I33_CB_Event_Handle], 0`; then
 *   `Begin_Nest_V86_Exec`, `Exec_Int 33h` (the VM's mouse driver runs), `End_Nest_Exec`.
 * - `VMD_Set_Focus` (VMD.ASM, control message Set_Device_Focus): `xchg ebx, [VMD_Owner]`, then
 *   `Int33_Update_State` for the old owner and for the new one.
 * - `Int33_Update_State`: nothing for handle 0 or the system VM; sets I33F_Change_State, and
 *   unless I33F_Update_Sched was already set (`bts ... / jc`): `Call_Priority_VM_Event` with
 *   EAX = Low_Pri_Device_Boost, ECX = 11b (PEF_Wait_For_STI + PEF_Wait_Not_Crit),
 *   `Int33_Update_Event`.
 * - `Int33_Update_Event`: nested execution in the VM (`Begin_Nest_V86_Exec ... Resume_Exec`),
 *   then clears I33F_Update_Sched and I33F_Update.
 *
 * Model notes: VMDOSAPP names the target VM in Client_EBX; here the system VM's trap targets
 * the DOS VMs in turn. `I33_Win_API_Addr` is taken as set (the windowed-app mouse driver is
 * present), so Update_State always schedules. VMD handles no Destroy_VM: the VMM discards a
 * destroyed VM's priority events itself.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/int33.ts
 *   npx vmmsim explore examples/real/int33.ts --iterations 2000
 */
import { EFLAGS_CF } from '../../src/shared/clientRegs.js';
import { Boost, PEF } from '../../src/vmm/constants.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';

const I33F_Update_Sched = 0x2;
const I33F_Update = 0x4;
const I33F_Change_State = 0x80;

export interface Int33State {
  /** VMD_Owner: the VM with the mouse focus. */
  owner: number;
  /** Per VM (by handle): I33_CB_Event_Handle, I33_CB_Flags, I33_CB_XY_Pos. */
  eventHandle: Record<string, number>;
  flags: Record<string, number>;
  xyPos: Record<string, number>;
  nextTarget: number;
  apiCalls: number;
  apiRefused: number;
  callbacks: number;
  updates: number;
  /** Int33_Event_Call_Back found its VM's handle already 0 (it ran twice for one request). */
  callbacksWithoutRequest: number;
}

function updateState(r: Ring0<Int33State>, vm: number): void {
  if (vm === 0 || vm === r.sysVm()) return;
  const s = r.state;
  const flags = s.flags[vm] ?? 0;
  s.flags[vm] = flags | I33F_Change_State | I33F_Update_Sched;
  if ((flags & I33F_Update_Sched) !== 0) return; // bts ... / jc: already scheduled
  r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm, flags: PEF.Wait_For_STI | PEF.Wait_Not_Crit, callback: 'Int33_Update_Event', refData: 0 });
}

export const int33 = defineDevice<Int33State>({
  name: 'VMD',
  state: () => ({ owner: 0, eventHandle: {}, flags: {}, xyPos: {}, nextTarget: 0, apiCalls: 0, apiRefused: 0, callbacks: 0, updates: 0, callbacksWithoutRequest: 0 }),
  control: { Set_Device_Focus: 'VMD_Set_Focus' },
  entries: ['VMD_API_Proc'],
  procs: {
    VMD_API_Proc(r) {
      const s = r.state;
      s.apiCalls++;
      const caller = r.currentVm();
      if (caller !== r.sysVm()) {
        s.apiRefused++;
        r.client.set('EFlags', r.client.get('EFlags') | EFLAGS_CF); // I33_API_Error
        return;
      }
      const dosVms = r.vmHandles().filter((vm) => vm !== caller);
      if (dosVms.length === 0) return;
      const target = dosVms[s.nextTarget++ % dosVms.length]!; // Client_EBX
      s.xyPos[target] = (s.xyPos[target] ?? 0) + 0x00010001;
      if ((s.eventHandle[target] ?? 0) === 0) {
        const handle = r.callPriorityVmEvent({
          boost: Boost.Time_Critical_Boost, vm: target, flags: PEF.Wait_For_STI | PEF.Always_Sched,
          callback: 'Int33_Event_Call_Back', refData: target,
        });
        s.eventHandle[target] = handle;
      }
      r.client.set('EFlags', r.client.get('EFlags') & ~EFLAGS_CF); // I33_API_Success
    },
    Int33_Event_Call_Back(r) {
      const s = r.state;
      const vm = r.regs.edx;
      if ((s.eventHandle[vm] ?? 0) === 0) s.callbacksWithoutRequest++;
      s.eventHandle[vm] = 0;
      s.callbacks++;
      r.execNested(); // Begin_Nest_V86_Exec / Exec_Int 33h / End_Nest_Exec
    },
    VMD_Set_Focus(r) {
      const s = r.state;
      const old = s.owner;
      s.owner = r.regs.ebx; // xchg ebx, [VMD_Owner]
      updateState(r, old);
      updateState(r, s.owner);
    },
    Int33_Update_Event(r) {
      const s = r.state;
      const vm = r.regs.ebx;
      s.flags[vm] = ((s.flags[vm] ?? 0) | I33F_Update) & ~I33F_Change_State;
      r.execNested(); // Begin_Nest_V86_Exec ... Resume_Exec
      s.flags[vm] = (s.flags[vm] ?? 0) & ~(I33F_Update_Sched | I33F_Update);
      s.updates++;
    },
  },
});

export default defineScenario({
  name: 'real-int33',
  description: 'VMD Int 33h (Windows 3.1 DDK): time-critical priority events from the API call, low-priority updates on focus changes',
  vms: 3,
  devices: [int33],
  mix: { run: 30, trap: 60, interruptFlag: 10, iret: 0, mode: 0, runTicksMean: 40 },
  lifecycle: [
    { atStep: 10, op: 'focus', vm: 2 },
    { atStep: 30, op: 'focus', vm: 3 },
    { atStep: 50, op: 'focus', vm: 1 },
    { atStep: 60, op: 'destroy', vm: 3 },
    { atStep: 70, op: 'focus', vm: 2 },
  ],
  invariants: [
    {
      name: 'pendingMouseEventBoosted',
      // Call_Priority_VM_Event boosts the VM when it schedules; the boost stays until the callback ends.
      check: (view) => {
        const s = view.device<Int33State>('VMD');
        for (const vm of view.vms()) {
          if (!vm.alive || (s.eventHandle[vm.handle] ?? 0) === 0) continue;
          if (vm.execPriority < Boost.Time_Critical_Boost) return `VM ${vm.id} has a mouse event pending at priority ${vm.execPriority}, below Time_Critical_Boost`;
        }
        return undefined;
      },
    },
    {
      name: 'mouseCallbackTwice',
      check: (view) => {
        const s = view.device<Int33State>('VMD');
        return s.callbacksWithoutRequest === 0 ? undefined : `Int33_Event_Call_Back ran ${s.callbacksWithoutRequest} time(s) with no request pending`;
      },
    },
  ],
  steps: 100,
});
