/** What a history record notes of a VM's state when an event is scheduled or dispatched (the restrictions a checker re-reads). */
import type { VmSnapshot } from './history.js';
import type { VmState } from './vm.js';
import type { Machine } from './machine.js';

export function vmSnapshot(vmm: Machine, vm: VmState): VmSnapshot {
  return {
    vif: vm.vif, pm: vm.pm, nestedExec: vm.nestedExec > 0, simulatingHwInt: vm.simulatingHwInt,
    critFree: vmm.critOwner === null, priority: vmm.execPriority(vm),
  };
}
