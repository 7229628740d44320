/**
 * Priority boosts (SPEC §4): applied when a priority event is scheduled, removed once: after its
 * callback (unless PEF_Dont_Unboost), on cancel, or on timeout.
 */
import { PEF } from '../constants.js';
import type { EventNode } from '../eventTable.js';
import type { Vmm } from '../vmm.js';

/** What boost bookkeeping needs of an event; copied out before a callback may reuse its node. */
export type BoostedEvent = Pick<EventNode, 'vm' | 'boost' | 'flags' | 'handle'>;

export function applyBoost(vmm: Vmm, node: EventNode): void {
  const vm = vmm.vmById(node.vm);
  if (vm === undefined || node.boost === 0) return;
  vm.boost += node.boost;
  vmm.emit({ k: 'boost', targetVm: vm.id, delta: node.boost, reason: 'schedule', handle: node.handle });
}

export function removeBoost(vmm: Vmm, node: BoostedEvent, reason: 'cancel' | 'timeout' | 'callback'): void {
  // No boost was applied (applyBoost skips 0), so there is nothing to remove or keep.
  if (node.boost === 0) return;
  if (reason === 'callback' && (node.flags & PEF.Dont_Unboost) !== 0) {
    vmm.emit({ k: 'boost', targetVm: node.vm, delta: 0, reason: 'kept', handle: node.handle });
    return;
  }
  const vm = vmm.vmById(node.vm);
  if (vm === undefined || node.boost === 0) return;
  vm.boost -= node.boost;
  vmm.emit({ k: 'boost', targetVm: vm.id, delta: -node.boost, reason, handle: node.handle });
}
