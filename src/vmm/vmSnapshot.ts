/**
 * What a history record notes of a VM's state when an event is scheduled or dispatched (the
 * restrictions a checker re-reads).
 *
 * A snapshot is one of few values (five flags and a priority), and records never change what
 * they hold: every record of the same state shares one frozen object, made the first time that
 * state is seen, instead of a new object per priority event (two per event: scheduled, then
 * dispatched). The key is the five flags as bits 0..4 and the priority above them; a priority
 * outside SHARED_PRIORITY_MAX, or a table already holding SHARED_SNAPSHOTS_MAX states, gets a
 * new (frozen) object as before.
 */
import type { VmSnapshot } from './history.js';
import type { VmState } from './vm.js';
import type { Machine } from './machine.js';

/** Priorities shared up to this magnitude (the boost constants sum far below it); the key stays a small integer. */
const SHARED_PRIORITY_MAX = 0x3ff_ffff;
/** Distinct states kept (a run sees a handful; the bound keeps a run of odd boosts from growing it). */
const SHARED_SNAPSHOTS_MAX = 4096;
const SHARED = new Map<number, VmSnapshot>();

export function vmSnapshot(vmm: Machine, vm: VmState): VmSnapshot {
  const vif = vm.vif;
  const pm = vm.pm;
  const nestedExec = vm.nestedExec > 0;
  const simulatingHwInt = vm.simulatingHwInt;
  const critFree = vmm.critOwner === null;
  const priority = vmm.execPriority(vm);
  if (!(Number.isInteger(priority) && priority >= -SHARED_PRIORITY_MAX && priority <= SHARED_PRIORITY_MAX) || Object.is(priority, -0)) {
    return Object.freeze({ vif, pm, nestedExec, simulatingHwInt, critFree, priority });
  }
  const key = priority * 32 + (vif ? 1 : 0) + (pm ? 2 : 0) + (nestedExec ? 4 : 0) + (simulatingHwInt ? 8 : 0) + (critFree ? 16 : 0);
  let snapshot = SHARED.get(key);
  if (snapshot === undefined) {
    snapshot = Object.freeze({ vif, pm, nestedExec, simulatingHwInt, critFree, priority });
    if (SHARED.size < SHARED_SNAPSHOTS_MAX) SHARED.set(key, snapshot);
  }
  return snapshot;
}
