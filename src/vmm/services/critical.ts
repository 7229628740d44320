/**
 * The critical section (SPEC §5): one owner, a claim count, Critical_Section_Boost on the first
 * claim. A VM that asks while another owns it blocks (see VmBlocked): from a trap handler, or
 * from an event callback a processing pass dispatched (the DDK's callbacks "can ... use any VMM
 * services"). Anywhere else blocking stays a device bug (`blockOutsideTrap`): at interrupt time,
 * inside VPICD procedures and System_Control messages, and in a callback a Call_XX_Event runs
 * inside the call (README "Model choices" says why). The release at zero unblocks the waiters
 * and, like every scheduler point in the model, takes effect at the next event-processing point,
 * which is the return to ring 3 right after the releasing trap.
 */
import { VmBlocked } from '../blocked.js';
import { Boost } from '../constants.js';
import type { Machine, MachineDevice } from '../machine.js';
import type { VmState } from '../vm.js';
import { schedulingChanged } from '../scheduler.js';
import * as rec from '../records.js';

export function beginCriticalSection(vmm: Machine, device: MachineDevice): void {
  const vm = vmm.current;
  if (vmm.critOwner === null || vmm.critOwner === vm) {
    if (vmm.critOwner === null) {
      vmm.critOwner = vm;
      vm.boost += Boost.Critical_Section_Boost;
      vm.heldBoost += Boost.Critical_Section_Boost;
      schedulingChanged(vmm);
      rec.boost(vmm, vm.id, Boost.Critical_Section_Boost, 'critical', 0);
    }
    vmm.critCount++;
    rec.critical(vmm, 'claim', vm.id, vmm.critCount);
    return;
  }
  if (!mayBlock(vmm, vm)) {
    vmm.violation('blockOutsideTrap', 'device', `${device.name} would block VM ${vm.id} on the critical section outside a trap handler`, device.name, 0);
    return;
  }
  vm.blockedOnCritical = true;
  schedulingChanged(vmm);
  rec.critical(vmm, 'block', vmm.critOwner.id, vmm.critCount);
  throw new VmBlocked(vm.id);
}

/**
 * Where ring-0 code can be unwound and run again from the start: a trap handler (the VM
 * re-executes the trapping op), or the callback of an event a processing pass dispatched on
 * the way back to ring 3 (the VM keeps it and runs it again: processing.ts). Nothing may be
 * open inside it that the unwinding would cut: no interrupt, VPICD procedure, System_Control
 * message or nested execution.
 */
function mayBlock(vmm: Machine, vm: VmState): boolean {
  if (vmm.ctx !== 'vmm' || vmm.vpicdProcDepth !== 0 || vmm.controlDepth !== 0 || vmm.atInterruptTime) return false;
  if (vmm.runningCallback === 0) return !vmm.processing;
  return vmm.runningCallback > 0 && vmm.processing && vmm.passFromRing3 && vm.nestedExec === 0;
}

export function endCriticalSection(vmm: Machine, device: MachineDevice): void {
  const vm = vmm.current;
  if (vmm.critOwner !== vm) {
    vmm.violation('criticalNotOwned', 'device', `${device.name} ended a critical section VM ${vm.id} does not own`, device.name, 0);
    return;
  }
  vmm.critCount--;
  rec.critical(vmm, 'release', vm.id, vmm.critCount);
  if (vmm.critCount > 0) return;
  releaseCriticalSection(vmm);
}

/** The section is free: remove the owner's boost and wake every VM blocked on it. */
export function releaseCriticalSection(vmm: Machine): void {
  const owner = vmm.critOwner;
  if (owner === null) return;
  vmm.critOwner = null;
  vmm.critCount = 0;
  owner.boost -= Boost.Critical_Section_Boost;
  owner.heldBoost -= Boost.Critical_Section_Boost;
  schedulingChanged(vmm);
  rec.boost(vmm, owner.id, -Boost.Critical_Section_Boost, 'critical', 0);
  const vms = vmm.vms;
  for (let i = 0; i < vms.length; i++) {
    const waiter = vms[i]!;
    if (!waiter.blockedOnCritical) continue;
    waiter.blockedOnCritical = false;
    schedulingChanged(vmm);
    rec.critical(vmm, 'unblock', waiter.id, 0);
  }
}
