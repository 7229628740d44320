/**
 * The read-only view scenario invariants get of a running machine: device state, and every VM's
 * client registers and execution priority. Reads only; nothing here changes the machine, so an
 * invariant cannot change the run it checks.
 */
import type { RunView, VmView } from '../scenario/scenario.js';
import { ClientRegAlias, type ClientRegAliasName, type ClientRegName } from '../shared/clientRegs.js';
import type { VmState } from '../vmm/vm.js';
import type { Vmm } from '../vmm/vmm.js';

export function runView(vmm: Vmm): RunView & { step: number } {
  const byName = new Map(vmm.devices.map((d) => [d.name, d]));
  const views = new WeakMap<VmState, VmView>();
  const viewOf = (vm: VmState): VmView => {
    let view = views.get(vm);
    if (view === undefined) {
      view = vmView(vmm, vm);
      views.set(vm, view);
    }
    return view;
  };
  return {
    step: 0,
    get ticks() {
      return vmm.ticks;
    },
    get currentVm() {
      return vmm.current.id;
    },
    device<S>(name: string): S {
      const device = byName.get(name);
      if (device === undefined) throw new Error(`no device named ${name}`);
      return device.state as S;
    },
    vms: () => vmm.vms.map(viewOf),
    vm: (id: number) => {
      const vm = vmm.vms[id - 1];
      return vm === undefined ? undefined : viewOf(vm);
    },
  };
}

function vmView(vmm: Vmm, vm: VmState): VmView {
  return {
    id: vm.id,
    handle: vm.handle,
    get alive() {
      return vm.alive;
    },
    get suspended() {
      return vm.suspended;
    },
    get boost() {
      return vm.boost;
    },
    get execPriority() {
      return vmm.execPriority(vm);
    },
    get nestedExec() {
      return vm.nestedExec;
    },
    client(name: ClientRegName | ClientRegAliasName): number {
      if (Object.hasOwn(ClientRegAlias, name)) return vm.client.getAlias(name as ClientRegAliasName);
      return vm.client.get(name as ClientRegName);
    },
  };
}
