/**
 * Call_VM_Event, Schedule_VM_Event, Cancel_VM_Event (SPEC §3). A VM event runs only when its VM
 * is about to run; Call_VM_Event runs it at once only when not re-entered and the VM is current.
 */
import type { ServiceName } from '../services.js';
import type { VmState } from '../vm.js';
import type { Machine, MachineDevice } from '../machine.js';
import { cancelEvent, hex } from './cancel.js';
import { SERVICE_WORD } from '../traceHash.js';
import { callNow, makeEvent, mayCallNow, refuse } from './schedule.js';

/** The VM that EBX names, or undefined: a device bug, reported, and the call refused. */
function targetVm(vmm: Machine, service: ServiceName, device: MachineDevice): VmState | undefined {
  const vm = vmm.vmByHandle(vmm.regs.ebx);
  if (vm === undefined) {
    vmm.violation('invalidVmHandle', 'device', `${device.name} passed EBX = 0x${hex(vmm.regs.ebx)} to ${service}, which is no VM`, device.name, 0);
    refuse(vmm);
  }
  return vm;
}

export function callVmEvent(vmm: Machine, device: MachineDevice): void {
  const vm = targetVm(vmm, 'Call_VM_Event', device);
  if (vm === undefined) return;
  const { esi: callback, edx: refData } = vmm.regs;
  const allowed = vmm.reenter === 0 && vm === vmm.current;
  if (allowed && mayCallNow(vmm)) {
    callNow(vmm, 'vm', 'Call_VM_Event', SERVICE_WORD.Call_VM_Event, refData, vm.id);
    return;
  }
  const node = makeEvent(vmm, 'vm', 'Call_VM_Event', SERVICE_WORD.Call_VM_Event, callback, refData, vm.id, allowed);
  if (node !== undefined) vm.vmEvents.push(node);
}

export function scheduleVmEvent(vmm: Machine, device: MachineDevice): void {
  const vm = targetVm(vmm, 'Schedule_VM_Event', device);
  if (vm === undefined) return;
  const node = makeEvent(vmm, 'vm', 'Schedule_VM_Event', SERVICE_WORD.Schedule_VM_Event, vmm.regs.esi, vmm.regs.edx, vm.id, false);
  if (node !== undefined) vm.vmEvents.push(node);
}

export function cancelVmEvent(vmm: Machine, device: MachineDevice): void {
  cancelEvent(vmm, device, 'vm', vmm.regs.esi, vmm.regs.ebx);
}
