/**
 * Priority boosts (SPEC §4): applied when a priority event is scheduled, removed once: after its
 * callback (unless PEF_Dont_Unboost), on cancel, or on timeout.
 */
import { PEF } from '../constants.js';
import type { EventNode } from '../eventTable.js';
import type { Machine } from '../machine.js';
import * as rec from '../records.js';

/** What boost bookkeeping needs of an event; copied out before a callback may reuse its node. */
export type BoostedEvent = Pick<EventNode, 'vm' | 'boost' | 'flags' | 'handle'>;

export function applyBoost(vmm: Machine, node: EventNode): void {
  const vm = vmm.vmById(node.vm);
  if (vm === undefined || node.boost === 0) return;
  vm.boost += node.boost;
  rec.boost(vmm, vm.id, node.boost, 'schedule', node.handle);
}

export function removeBoost(vmm: Machine, node: BoostedEvent, reason: 'cancel' | 'timeout' | 'callback'): void {
  // No boost was applied (applyBoost skips 0), so there is nothing to remove or keep.
  if (node.boost === 0) return;
  if (reason === 'callback' && (node.flags & PEF.Dont_Unboost) !== 0) {
    rec.boost(vmm, node.vm, 0, 'kept', node.handle);
    return;
  }
  const vm = vmm.vmById(node.vm);
  if (vm === undefined || node.boost === 0) return;
  vm.boost -= node.boost;
  rec.boost(vmm, vm.id, -node.boost, reason, node.handle);
}
