/**
 * Call_Global_Event, Schedule_Global_Event, Cancel_Global_Event (the seed page; SPEC §3).
 *
 * "This service schedules the event if the virtual device is processing a hardware interrupt
 * that interrupted the VMM. In all other cases, the service calls the callback procedure
 * without scheduling an event." Interrupted the VMM = re-enter count > 0.
 */
import type { Machine, MachineDevice } from '../machine.js';
import { cancelEvent } from './cancel.js';
import { SERVICE_WORD } from '../traceHash.js';
import { callNow, makeEvent, mayCallNow } from './schedule.js';

export function callGlobalEvent(vmm: Machine): void {
  const { esi: callback, edx: refData } = vmm.regs;
  const allowed = vmm.reenter === 0;
  if (allowed && mayCallNow(vmm)) {
    callNow(vmm, 'global', 'Call_Global_Event', SERVICE_WORD.Call_Global_Event, refData, 0);
    return;
  }
  const node = makeEvent(vmm, 'global', 'Call_Global_Event', SERVICE_WORD.Call_Global_Event, callback, refData, 0, allowed);
  if (node !== undefined) vmm.globals.push(node);
}

export function scheduleGlobalEvent(vmm: Machine): void {
  const node = makeEvent(vmm, 'global', 'Schedule_Global_Event', SERVICE_WORD.Schedule_Global_Event, vmm.regs.esi, vmm.regs.edx, 0, false);
  if (node !== undefined) vmm.globals.push(node);
}

export function cancelGlobalEvent(vmm: Machine, device: MachineDevice): void {
  cancelEvent(vmm, device, 'global', vmm.regs.esi);
}
