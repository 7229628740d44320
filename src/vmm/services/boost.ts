/**
 * Priority boosts (SPEC §4): applied when a priority event is scheduled, removed once: after its
 * callback (unless PEF_Dont_Unboost), on cancel, or on timeout.
 */
import { PEF } from '../constants.js';
import type { EventNode } from '../eventTable.js';
import type { Machine } from '../machine.js';
import { schedulingChanged } from '../scheduler.js';
import * as rec from '../records.js';

export function applyBoost(vmm: Machine, node: EventNode): void {
  const vm = vmm.vmById(node.vm);
  if (vm === undefined || node.boost === 0) return;
  vm.boost += node.boost;
  vm.heldBoost += node.boost;
  schedulingChanged(vmm);
  rec.boost(vmm, vm.id, node.boost, 'schedule', node.handle);
}

/**
 * A PEF_Dont_Unboost event's callback begins: from here its boost is the device's to remove
 * (DDK: "Does not reduce the priority of the virtual machine when the event callback procedure
 * returns"; the callback itself may remove it with Adjust_Exec_Priority), no longer one the VMM
 * holds (VmState.heldBoost).
 */
export function handBoostToDevice(vmm: Machine, vmId: number, boost: number): void {
  const vm = vmm.vmById(vmId);
  if (vm !== undefined) vm.heldBoost -= boost;
}

export type UnboostReason = 'cancel' | 'timeout' | 'callback';

export function removeBoost(vmm: Machine, node: EventNode, reason: UnboostReason): void {
  unboost(vmm, node.vm, node.boost, node.flags, node.handle, reason);
}

/** `removeBoost` from what the event held: after its callback its node may be another event's. */
export function unboost(vmm: Machine, vmId: number, boost: number, flags: number, handle: number, reason: UnboostReason): void {
  // No boost was applied (applyBoost skips 0), so there is nothing to remove or keep.
  if (boost === 0) return;
  if (reason === 'callback' && (flags & PEF.Dont_Unboost) !== 0) {
    rec.boost(vmm, vmId, 0, 'kept', handle);
    return;
  }
  const vm = vmm.vmById(vmId);
  if (vm === undefined) return;
  vm.boost -= boost;
  vm.heldBoost -= boost;
  schedulingChanged(vmm);
  rec.boost(vmm, vm.id, -boost, reason, handle);
}
