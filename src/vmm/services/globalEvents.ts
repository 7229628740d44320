/**
 * Call_Global_Event, Schedule_Global_Event, Cancel_Global_Event (the seed page; SPEC §3).
 *
 * "This service schedules the event if the virtual device is processing a hardware interrupt
 * that interrupted the VMM. In all other cases, the service calls the callback procedure
 * without scheduling an event." Interrupted the VMM = re-enter count > 0.
 */
import type { Machine, MachineDevice } from '../machine.js';
import { cancelEvent } from './cancel.js';
import { callNow, makeEvent, mayCallNow, type EventRequest } from './schedule.js';

function request(vmm: Machine, service: EventRequest['service']): EventRequest {
  return {
    kind: 'global', service, callback: vmm.regs.esi, refData: vmm.regs.edx, targetVm: 0,
    boost: 0, flags: 0, deadlineTicks: -1,
  };
}

export function callGlobalEvent(vmm: Machine): void {
  const req = request(vmm, 'Call_Global_Event');
  const allowed = vmm.reenter === 0;
  if (allowed && mayCallNow(vmm)) {
    callNow(vmm, req);
    return;
  }
  const node = makeEvent(vmm, req, allowed);
  if (node !== undefined) vmm.globals.push(node);
}

export function scheduleGlobalEvent(vmm: Machine): void {
  const node = makeEvent(vmm, request(vmm, 'Schedule_Global_Event'), false);
  if (node !== undefined) vmm.globals.push(node);
}

export function cancelGlobalEvent(vmm: Machine, device: MachineDevice): void {
  cancelEvent(vmm, device, 'global', vmm.regs.esi);
}
