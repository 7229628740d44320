/**
 * Call_VM_Event, Schedule_VM_Event, Cancel_VM_Event (SPEC §3). A VM event runs only when its VM
 * is about to run; Call_VM_Event runs it at once only when not re-entered and the VM is current.
 */
import type { Machine, MachineDevice } from '../machine.js';
import { cancelEvent, hex } from './cancel.js';
import { callNow, makeEvent, mayCallNow, refuse, type EventRequest } from './schedule.js';

function request(vmm: Machine, service: EventRequest['service'], device: MachineDevice): EventRequest | undefined {
  const vm = vmm.vmByHandle(vmm.regs.ebx);
  if (vm === undefined) {
    vmm.violation('invalidVmHandle', 'device', `${device.name} passed EBX = 0x${hex(vmm.regs.ebx)} to ${service}, which is no VM`, device.name, 0);
    refuse(vmm);
    return undefined;
  }
  return { kind: 'vm', service, callback: vmm.regs.esi, refData: vmm.regs.edx, targetVm: vm.id, boost: 0, flags: 0, deadlineTicks: -1 };
}

export function callVmEvent(vmm: Machine, device: MachineDevice): void {
  const req = request(vmm, 'Call_VM_Event', device);
  if (req === undefined) return;
  const allowed = vmm.reenter === 0 && req.targetVm === vmm.current.id;
  if (allowed && mayCallNow(vmm)) {
    callNow(vmm, req);
    return;
  }
  const node = makeEvent(vmm, req, allowed);
  if (node !== undefined) vmm.vmById(req.targetVm)!.vmEvents.push(node);
}

export function scheduleVmEvent(vmm: Machine, device: MachineDevice): void {
  const req = request(vmm, 'Schedule_VM_Event', device);
  if (req === undefined) return;
  const node = makeEvent(vmm, req, false);
  if (node !== undefined) vmm.vmById(req.targetVm)!.vmEvents.push(node);
}

export function cancelVmEvent(vmm: Machine, device: MachineDevice): void {
  cancelEvent(vmm, device, 'vm', vmm.regs.esi, vmm.regs.ebx);
}
