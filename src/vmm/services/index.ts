/**
 * `VMMcall`: every service a device issues comes through here. The call is a preemption point
 * (an IRQ may be taken before it runs, if interrupts are enabled), it is recorded, and a
 * synchronous service at interrupt time is reported and not performed (SPEC §1): inside any
 * Hw_Int_Proc, or while the re-enter count is above zero.
 */
import { EFLAGS_CF } from '../../shared/clientRegs.js';
import { SERVICES, type ServiceName } from '../services.js';
import type { Machine, MachineDevice } from '../machine.js';
import { cancelGlobalEvent, callGlobalEvent, scheduleGlobalEvent } from './globalEvents.js';
import { beginCriticalSection, endCriticalSection } from './critical.js';
import { callPriorityVmEvent, cancelPriorityVmEvent } from './priority.js';
import { callVmEvent, cancelVmEvent, scheduleVmEvent } from './vmEvents.js';
import * as control from './vmControl.js';
import * as vpicd from './vpicd.js';
import * as rec from '../records.js';
import { SERVICE_WORD } from '../traceHash.js';

type ServiceImpl = (vmm: Machine, device: MachineDevice) => void;

const IMPL: Record<ServiceName, ServiceImpl> = {
  Call_Global_Event: callGlobalEvent,
  Schedule_Global_Event: scheduleGlobalEvent,
  Cancel_Global_Event: cancelGlobalEvent,
  Call_VM_Event: callVmEvent,
  Schedule_VM_Event: scheduleVmEvent,
  Cancel_VM_Event: cancelVmEvent,
  Call_Priority_VM_Event: callPriorityVmEvent,
  Cancel_Priority_VM_Event: cancelPriorityVmEvent,
  Begin_Critical_Section: beginCriticalSection,
  End_Critical_Section: endCriticalSection,
  Get_VMM_Reenter_Count: control.getReenterCount,
  Get_Cur_VM_Handle: control.getCurVmHandle,
  Get_Sys_VM_Handle: control.getSysVmHandle,
  Adjust_Exec_Priority: control.adjustExecPriority,
  Suspend_VM: control.suspendVm,
  Resume_VM: control.resumeVm,
  Begin_Nest_Exec: control.beginNestExec,
  Resume_Exec: control.resumeExec,
  End_Nest_Exec: control.endNestExec,
  VPICD_Virtualize_IRQ: vpicd.virtualizeIrqService,
  VPICD_Phys_EOI: vpicd.physEoi,
  VPICD_Set_Int_Request: vpicd.setIntRequest,
  VPICD_Clear_Int_Request: vpicd.clearIntRequest,
  VPICD_Physically_Mask: vpicd.physicallyMask,
  VPICD_Physically_Unmask: vpicd.physicallyUnmask,
  VPICD_Set_Auto_Masking: vpicd.setAutoMasking,
};

/** What a call needs to know of its service: found once, by name, then passed along (this runs for most client steps). */
export interface ServiceEntry {
  readonly name: ServiceName;
  /** The trace hash's word of `name`. */
  readonly word: number;
  readonly impl: ServiceImpl;
  readonly async: boolean;
  /** An event service: success is carry clear, and ESI (the handle) is recorded. */
  readonly returnsHandle: boolean;
  /** Only reads the machine (Get_...): no effect a callback's restart would repeat. */
  readonly query: boolean;
}

export function callService(vmm: Machine, device: MachineDevice, entry: ServiceEntry): void {
  const service = entry.name;
  vmm.ticks += 1;
  vmm.preempt();
  rec.service(vmm, service, entry.word, device.name, device.nameWord);
  if (!entry.async && vmm.atInterruptTime) {
    const where = vmm.reenter > 0 ? `a nested interrupt (re-enter count ${vmm.reenter})` : 'a Hw_Int_Proc (interrupt time)';
    vmm.violation('syncServiceAtInterrupt', 'device', `${device.name} called the synchronous service ${service} from ${where}`, device.name, 0);
    // Refused, carry set: nested execution (and so event processing) never happens inside a handler.
    vmm.regs.eflags |= EFLAGS_CF;
    return;
  }
  // The event services report success with the carry flag clear (a refusal sets it).
  if (entry.returnsHandle) vmm.regs.eflags &= ~EFLAGS_CF;
  // A callback's calls with an effect: a restart after a block makes them again (dispatch.ts).
  if (vmm.runningCallback !== 0 && !entry.query && !vmm.atInterruptTime) vmm.callbackEffects++;
  entry.impl(vmm, device);
  if (entry.returnsHandle) rec.serviceResult(vmm, service, entry.word, vmm.regs.esi);
}

const RETURNS_HANDLE: ReadonlySet<ServiceName> = new Set([
  'Call_Global_Event', 'Schedule_Global_Event', 'Call_VM_Event', 'Schedule_VM_Event', 'Call_Priority_VM_Event',
]);

const ENTRIES = new Map<string, ServiceEntry>(
  (Object.keys(IMPL) as ServiceName[]).map((name) => [name, { name, word: SERVICE_WORD[name], impl: IMPL[name], async: SERVICES[name].async, returnsHandle: RETURNS_HANDLE.has(name), query: name.startsWith('Get_') }]),
);

/** Every service's entry, by name: `SERVICE.Call_Global_Event` (what the ring-0 helpers call). */
export const SERVICE = Object.fromEntries(ENTRIES) as Readonly<Record<ServiceName, ServiceEntry>>;

/** The entry of a service named at run time (`VMMcall` from device code); a name that is no service is the device's error. */
export function serviceEntry(name: string): ServiceEntry {
  const entry = ENTRIES.get(name);
  // A port of real VxD code meets this first for the services the model leaves out: name what it has.
  if (entry === undefined) throw new Error(`${String(name)} is no VMM or VPICD service vmmsim simulates (it has ${[...ENTRIES.keys()].join(', ')})`);
  return entry;
}
